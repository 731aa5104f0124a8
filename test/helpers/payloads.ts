/** A complete application's fields and a minimal PDF: shared by the API tests, the browser tests and the benchmarks. */
export const ATTESTED = {
  normalOperation: true,
  noMajorSafetyAccident: true,
  noSeriousDishonesty: true,
  notAbnormalListed: true,
  greenThreshold: true,
};

export const PROJECT = {
  summary: '建设基于工业互联网平台的智能排产系统',
  content: '部署设备联网、数据中台与大模型排产引擎',
  goals: '设备联网率95%，排产效率提升30%',
  scenario: '装备制造',
  startDate: '2026-05-01',
  endDate: '2027-04-30',
  totalInvestment: 1200,
  itInvestment: 800,
  contactName: '张工',
  contactPhone: '0531-88888888',
};

export const UNIT = {
  legalRepresentative: '王某',
  registeredCapital: 5000,
  establishedDate: '2010-03-01',
  employees: 320,
  revenueLastYear: 45000,
  rdLastYear: 2300,
  address: '济南市历下区示例路1号',
  mainBusiness: '工业软件与系统集成',
};

/** A minimal well-formed PDF (catalog, page tree, one A4 page): uploads are parsed (active-content.ts). */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
