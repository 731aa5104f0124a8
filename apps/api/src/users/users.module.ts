import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({ imports: [AuditModule, AccountsModule], controllers: [UsersController], providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
