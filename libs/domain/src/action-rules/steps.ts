/** The rules of the step actions (actions-steps.ts): the task of a draft. */
import { ACTIONS } from '../actions';
import { refuse } from '../refusals';
import { findTask } from '../reference/tasks';
import { refused } from '../step';
import type { SomeRules } from './rule';

const TASK = ACTIONS.changeTask.payload.fields.taskCode;

export const STEP_RULES: SomeRules<'changeTask'> = {
  changeTask: {
    decide: ({ s, command, step }) => {
      const code = typeof command.taskCode === 'string' ? command.taskCode.trim() : '';
      const task = findTask(code);
      if (!task) return refused(refuse('INVALID_INPUT', `${TASK.label}不存在：${code || '（未填写）'}`, 'taskCode'));
      if (task.code === s.taskCode) return refused(refuse('ALREADY_DONE', `${TASK.label}未变化`, 'taskCode'));
      return step({ taskCode: task.code }, () => [], { from: s.taskCode, to: task.code });
    },
  },
};
