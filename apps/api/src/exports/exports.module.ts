import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { AuditModule } from '../audit/audit.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

@Module({ imports: [ApplicationsModule, AuditModule], controllers: [ExportsController], providers: [ExportsService], exports: [ExportsService] })
export class ExportsModule {}
