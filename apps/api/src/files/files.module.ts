import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import path from 'node:path';
import { ApiConfig } from '@jiebang/runtime';
import { ApplicationsModule } from '../applications/applications.module';
import { AuditModule } from '../audit/audit.module';
import { DiskFileStorage, PgFileStorage } from './file-storage';
import { FilesController } from './files.controller';
import { FILE_STORAGE, FilesService } from './files.service';

@Module({
  imports: [
    ApplicationsModule,
    AuditModule,
    // Uploads are held in memory up to the limit; beyond it multer answers 413 before reading more.
    MulterModule.registerAsync({ inject: [ApiConfig], useFactory: (cfg: ApiConfig) => ({ limits: { fileSize: cfg.MAX_UPLOAD_BYTES, files: 1, fields: 10 } }) }),
  ],
  controllers: [FilesController],
  providers: [
    FilesService,
    {
      provide: FILE_STORAGE,
      inject: [ApiConfig],
      useFactory: (cfg: ApiConfig) => (cfg.FILE_STORAGE === 'disk' ? new DiskFileStorage(path.resolve(cfg.FILE_DIR ?? '.data/files')) : new PgFileStorage()),
    },
  ],
  exports: [FilesService, MulterModule],
})
export class FilesModule {}
