import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { UsersModule } from '../users/users.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';
import { GroupsImport } from './kinds/groups.import';
import { PilotsImport } from './kinds/pilots.import';
import { QuotasImport } from './kinds/quotas.import';
import { StaffImport } from './kinds/staff.import';

/** An import list is small: beyond 5 MiB multer answers 413 before reading more. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

@Module({
  imports: [AuditModule, CampaignsModule, UsersModule, MulterModule.register({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } })],
  controllers: [ImportsController],
  providers: [ImportsService, QuotasImport, PilotsImport, GroupsImport, StaffImport],
})
export class ImportsModule {}
