import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { ColleaguesService } from './colleagues.service';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  imports: [AuditModule, UsersModule],
  controllers: [OrganisationsController],
  providers: [OrganisationsService, ColleaguesService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
