import { creditCodeProblem, maskMobile, maskName, normaliseCreditCode, withCheckChar } from '@jiebang/domain';
import { proposeRegistrationRegion } from '@jiebang/domain/reference/regions';

const code = (division: string) => withCheckChar(`91${division}MA3C00001`);

describe('registration: the credit code', () => {
  it('accepts a code with its check character, normalised from how people type it', () => {
    const c = code('370102');
    expect(creditCodeProblem(c)).toBeNull();
    expect(normaliseCreditCode(` ${c.slice(0, 9).toLowerCase()} ${c.slice(9)} `)).toBe(c);
  });

  it('refuses a wrong check character, a wrong length and letters outside the alphabet, each with its reason', () => {
    const c = code('370102');
    const wrong = c.slice(0, 17) + (c[17] === '0' ? '1' : '0');
    expect(creditCodeProblem(wrong)).toMatch(/校验位（第18位）不正确/);
    expect(creditCodeProblem(c.slice(0, 17))).toBe('统一社会信用代码应为18位，当前为17位');
    expect(creditCodeProblem(`${c.slice(0, 17)}I`)).toMatch(/不含I、O、S、V、Z/);
  });

  it('proposes the county of characters 3–8, the city of a city-level authority, and refuses outside Shandong', () => {
    expect(proposeRegistrationRegion(code('370102'))).toMatchObject({ countyCode: '370102', cityCode: '370100', refusal: null });
    expect(proposeRegistrationRegion(code('370200'))).toMatchObject({ countyCode: null, cityCode: '370200', refusal: null });
    expect(proposeRegistrationRegion(code('370000'))).toMatchObject({ countyCode: null, cityCode: null, refusal: null });
    // A county code since replaced (章丘市 370181 became 章丘区 370114): its city is still proposed.
    expect(proposeRegistrationRegion(code('370181'))).toMatchObject({ countyCode: null, cityCode: '370100', refusal: null });
    expect(proposeRegistrationRegion(code('110105')).refusal).toMatch(/110105.*不属于山东省/);
  });
});

describe('registration: masking an existing contact', () => {
  it('shows the family name and the ends of the mobile number only', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskMobile('13800000000')).toBe('138****0000');
  });
});
