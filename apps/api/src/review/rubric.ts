import { rubricProblem, type Rubric } from '@jiebang/domain';
import { refusalError } from '../common/errors';

/** A rubric as the province sent it, checked (weights add up to 100, keys unique…) and its labels trimmed; else the refusal. */
export function acceptedRubric(criteria: Rubric): Rubric {
  const problem = rubricProblem(criteria);
  if (problem) throw refusalError(problem);
  return criteria.map((c) => ({ key: c.key, label: c.label.trim(), max: c.max, weight: c.weight }));
}
