import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccountLinks } from './account-links.service';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { PasswordPolicy } from './password-policy.service';
import { RateLimiter } from './rate-limiter.service';

/** Owner-only credentials: one-time links by mail (AccountLinks, reused by registration and invitations) and the password policy. */
@Module({
  imports: [AuditModule],
  controllers: [AccountsController],
  providers: [AccountLinks, PasswordPolicy, RateLimiter, AccountsService],
  exports: [AccountLinks, PasswordPolicy, RateLimiter],
})
export class AccountsModule {}
