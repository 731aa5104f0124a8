import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApplicationAccess } from './application-access.service';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [AuditModule],
  controllers: [ApplicationsController],
  providers: [ApplicationAccess, ApplicationsService],
  exports: [ApplicationAccess, ApplicationsService],
})
export class ApplicationsModule {}
