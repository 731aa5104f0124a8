/** The worker's workflows entry point (workflowsPath / prebuilt bundle). */
export { applicationWorkflow } from './application.workflow';
export { campaignWorkflow } from './campaign.workflow';
export { batchWorkflow } from './batch.workflow';
