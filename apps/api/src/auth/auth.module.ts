import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { TokensService } from './tokens.service';

@Module({
  imports: [JwtModule.register({}), AuditModule, AccountsModule],
  controllers: [AuthController],
  providers: [AuthService, TokensService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokensService, AuthService],
})
export class AuthModule {}
