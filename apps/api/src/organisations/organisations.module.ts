import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ColleaguesService } from './colleagues.service';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  imports: [AuditModule, AccountsModule],
  controllers: [OrganisationsController],
  providers: [OrganisationsService, ColleaguesService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
