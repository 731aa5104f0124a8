import { Injectable } from '@nestjs/common';
import type { Repositories } from '@jiebang/db';
import type { CellError, ImportColumn } from '../workbook-reader';
import { cellError, type ImportKind, type ParsedRow, type RowPlan } from '../import-kind';
import { creditCodeCell, textCell } from './credit-code-cell';

const NAME: ImportColumn = { header: '集团名称', key: 'groupName', hint: '集团的名称（同一母公司各行一致）', width: 28 };
const PARENT: ImportColumn = { header: '母公司统一社会信用代码', key: 'parentCreditCode', hint: '集团母公司的18位统一社会信用代码', width: 26 };
const MEMBER: ImportColumn = { header: '成员单位统一社会信用代码', key: 'memberCreditCode', hint: '每行一个成员单位（可含母公司本身）', width: 26 };

type Member = { groupName: string; parentCreditCode: string; memberCreditCode: string };

/**
 * The group registry (集团名录): one row per member enterprise, with its group's name and parent
 * company. An enterprise belongs to one group; a registered member's organisation follows the
 * registry, and the limits (one group ≤ 5, with its members' earlier pilots) count it with the
 * group. A group is known by its parent's credit code; a new name for it renames it.
 */
@Injectable()
export class GroupsImport implements ImportKind<Member> {
  readonly name = 'groups' as const;
  readonly label = '集团名录';
  readonly roles = ['PROVINCE_IT'] as const;
  readonly columns = [NAME, PARENT, MEMBER];
  readonly keyColumns = [MEMBER.header];
  readonly maxRows = 1000;
  readonly perCampaign = false;
  readonly example = [
    { groupName: '示例控股集团', parentCreditCode: '91370000MA3C4X5Y6Z', memberCreditCode: '91370102MA3C4X5Y6Z' },
  ];

  parse(v: Record<string, string>) {
    const errors: CellError[] = [];
    const groupName = textCell(NAME, v.groupName, 100, errors);
    const parentCreditCode = creditCodeCell(PARENT, v.parentCreditCode, errors);
    const memberCreditCode = creditCodeCell(MEMBER, v.memberCreditCode, errors);
    if (errors.length) return { errors };
    return { key: memberCreditCode, value: { groupName, parentCreditCode, memberCreditCode } };
  }

  async plan(tx: Repositories, rows: ReadonlyArray<ParsedRow<Member>>): Promise<RowPlan[]> {
    const groups = new Map((await tx.groups.byParents([...new Set(rows.map((r) => r.value.parentCreditCode))])).map((g) => [g.parent_credit_code, g]));
    const members = new Map((await tx.groups.members(rows.map((r) => r.value.memberCreditCode))).map((m) => [m.credit_code, m]));
    const nameOfParent = new Map<string, string>();
    const out: RowPlan[] = [];
    for (const { value } of rows) {
      const errors: CellError[] = [];
      const first = nameOfParent.get(value.parentCreditCode);
      if (first === undefined) nameOfParent.set(value.parentCreditCode, value.groupName);
      else if (first !== value.groupName) errors.push(cellError(NAME, `同一母公司的“集团名称”须一致：前面的行写的是“${first}”`));
      const group = groups.get(value.parentCreditCode);
      if (group?.name !== value.groupName && (await tx.groups.nameTaken(value.groupName, group?.id ?? null)) && !(await this.adoptable(tx, value.groupName))) {
        errors.push(cellError(NAME, `“集团名称”“${value.groupName}”已是另一集团（母公司不同）的名称，请核对`));
      }
      const member = members.get(value.memberCreditCode);
      const after = `${value.groupName}（母公司 ${value.parentCreditCode}）`;
      const before = member ? `${member.group_name}（母公司 ${member.parent_credit_code ?? '未登记'}）` : null;
      if (errors.length) out.push({ result: 'ERROR', before, after, errors });
      else if (!member) out.push({ result: 'CREATE', before, after });
      else out.push({ result: member.parent_credit_code === value.parentCreditCode && member.group_name === value.groupName ? 'UNCHANGED' : 'UPDATE', before, after });
    }
    return out;
  }

  /** A group of that name without a parent's code (from before the registry) is adopted by GroupsRepository.ensure. */
  private async adoptable(tx: Repositories, name: string): Promise<boolean> {
    return (await tx.groups.byName(name))?.parent_credit_code === null;
  }

  async apply(tx: Repositories, rows: ReadonlyArray<{ parsed: ParsedRow<Member> }>): Promise<void> {
    const ids = new Map<string, string>();
    for (const { parsed } of rows) {
      const { parentCreditCode, groupName, memberCreditCode } = parsed.value;
      let id = ids.get(parentCreditCode);
      if (!id) {
        id = await tx.groups.ensure(parentCreditCode, groupName);
        await tx.groups.rename(id, groupName);
        ids.set(parentCreditCode, id);
      }
      await tx.groups.setMember(memberCreditCode, id);
    }
  }
}
