import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccountOnboarding, MailActivationOnboarding } from './account-onboarding';
import { RegistrationController } from './registration.controller';
import { RegistrationService } from './registration.service';

@Module({
  imports: [AuditModule],
  controllers: [RegistrationController],
  // Accounts made for their owners: point this at the identity module's implementation once it lands.
  providers: [RegistrationService, { provide: AccountOnboarding, useClass: MailActivationOnboarding }],
  exports: [AccountOnboarding],
})
export class RegistrationModule {}
