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

/**
 * A one-page PDF that draws something (a blue band and a black frame on A4), with a correct
 * cross-reference table: for the preview, whose canvas must show drawn pixels.
 */
export const DRAWN_PDF: Buffer = (() => {
  const content = '0.11 0.37 0.75 rg 72 600 451 120 re f 0 0 0 RG 4 w 72 200 451 360 re S';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
})();
