import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccountLinks } from './account-links.service';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { PasswordPolicy } from './password-policy.service';

/** Owner-only credentials: one-time links by mail (AccountLinks, reused by registration and invitations) and the password policy. */
@Module({
  imports: [AuditModule],
  controllers: [AccountsController],
  providers: [AccountLinks, PasswordPolicy, AccountsService],
  exports: [AccountLinks, PasswordPolicy],
})
export class AccountsModule {}
