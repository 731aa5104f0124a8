/**
 * Search attributes on every application workflow (DESIGN.md: campaign, stage, city, county,
 * task, stage-entered time). No personal data. Keys are plain objects so workflow code needs no
 * import beyond @temporalio/workflow.
 */
export const SA_CAMPAIGN = { name: 'JiebangCampaign', type: 'KEYWORD' } as const;
export const SA_STAGE = { name: 'JiebangStage', type: 'KEYWORD' } as const;
export const SA_CITY = { name: 'JiebangCity', type: 'KEYWORD' } as const;
export const SA_COUNTY = { name: 'JiebangCounty', type: 'KEYWORD' } as const;
export const SA_TASK = { name: 'JiebangTask', type: 'KEYWORD' } as const;
export const SA_STAGE_ENTERED_AT = { name: 'JiebangStageEnteredAt', type: 'DATETIME' } as const;

/** For registration: the CLI's `--search-attribute NAME=Type` and the operator API's enum value. */
export const SEARCH_ATTRIBUTES = [
  { ...SA_CAMPAIGN, cliType: 'Keyword', indexedValueType: 2 },
  { ...SA_STAGE, cliType: 'Keyword', indexedValueType: 2 },
  { ...SA_CITY, cliType: 'Keyword', indexedValueType: 2 },
  { ...SA_COUNTY, cliType: 'Keyword', indexedValueType: 2 },
  { ...SA_TASK, cliType: 'Keyword', indexedValueType: 2 },
  { ...SA_STAGE_ENTERED_AT, cliType: 'Datetime', indexedValueType: 6 },
] as const;
