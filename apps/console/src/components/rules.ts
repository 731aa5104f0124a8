import type { FormInstance, FormRule } from 'antd';

/**
 * Form rules that refuse out-of-range input with a message instead of changing it: Ant Design's
 * InputNumber clamps to its min/max (−50 became 0, a score of 150 became 100) and `maxLength`
 * cuts text at its limit, silently. Controls take no min/max/maxLength/precision; these rules say
 * what is wrong, in the words of the API's refusals (`${label}不能大于100`).
 */
export function numberRules(label: string, o: { min?: number; max?: number; decimals?: number; required?: boolean }): FormRule[] {
  return [
    ...(o.required ? [{ required: true, message: `请填写${label}` }] : []),
    {
      validator: (_: unknown, v: unknown) => {
        if (v === undefined || v === null || v === '') return Promise.resolve();
        const n = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(n)) return Promise.reject(new Error(`${label}须为数值`));
        if (o.min !== undefined && n < o.min) return Promise.reject(new Error(`${label}不能小于${o.min}`));
        if (o.max !== undefined && n > o.max) return Promise.reject(new Error(`${label}不能大于${o.max}`));
        const decimals = o.decimals ?? 0;
        if (Number(n.toFixed(decimals)) !== n) return Promise.reject(new Error(decimals ? `${label}须为数值，最多${decimals}位小数` : `${label}须为整数`));
        return Promise.resolve();
      },
    },
  ];
}

/** Text within `max` characters, and (when required) more than white space. */
export function textRules(label: string, o: { max: number; required?: boolean }): FormRule[] {
  return [
    ...(o.required ? [{ required: true, whitespace: true, message: `请填写${label}` }] : []),
    { max: o.max, message: `${label}不能超过${o.max}个字` },
  ];
}

/** The character count shown under a text control: over the limit it turns red, nothing is cut. */
export const counter = (max: number) => ({ show: true, max });

/**
 * A refusal of the API shown at the form control it names, when that is one of `fields` (the
 * message says what is wrong there). False when it names none of them: show it elsewhere.
 */
export function refusalAtControl(form: FormInstance, e: { field?: string; message: string }, fields: readonly string[]): boolean {
  if (!e.field || !fields.includes(e.field)) return false;
  form.setFields([{ name: e.field, errors: [e.message] }]);
  return true;
}
