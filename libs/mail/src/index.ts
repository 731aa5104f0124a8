/**
 * Mail: queue a mail in the transaction of the change that causes it (`enqueueMail`, the outbox
 * in libs/db), compose it (`renderMail`), and deliver it (`MailDelivery`, run by the worker, on
 * nodemailer's SMTP transport).
 */
export { enqueueMail, OutboxMailError, type OutboxMail, type QueuedMail } from '@jiebang/db';
export * from './compose';
export * from './delivery';
export * from './mailer';
export * from './notify';
