import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PublicController, ReservePoolController } from './publication.controller';
import { PublicationService } from './publication.service';

@Module({ imports: [AuditModule], controllers: [PublicController, ReservePoolController], providers: [PublicationService] })
export class PublicationModule {}
