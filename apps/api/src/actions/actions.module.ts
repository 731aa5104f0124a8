import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { AuditModule } from '../audit/audit.module';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { QueriesService } from './queries.service';

@Module({ imports: [ApplicationsModule, AuditModule], controllers: [ActionsController], providers: [ActionsService, QueriesService], exports: [ActionsService] })
export class ActionsModule {}
