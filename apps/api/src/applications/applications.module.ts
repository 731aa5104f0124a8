import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TemporalServicesModule } from '../temporal/temporal-services.module';
import { ApplicationAccess } from './application-access.service';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [AuditModule, TemporalServicesModule],
  controllers: [ApplicationsController],
  providers: [ApplicationAccess, ApplicationsService],
  exports: [ApplicationAccess, ApplicationsService, TemporalServicesModule],
})
export class ApplicationsModule {}
