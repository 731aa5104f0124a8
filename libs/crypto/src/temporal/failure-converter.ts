/**
 * Failure converter for workers, clients and the workflow bundle (`failureConverterPath`): error
 * messages and stack traces go into the failure's encoded attributes, a payload, so the payload
 * codec encrypts them too. With the default converter they are stored in Temporal as plain text,
 * and an error message can quote personal data.
 *
 * Loaded inside the workflow sandbox: imports only @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
