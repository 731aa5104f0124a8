import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { refusalStatus, type Refusal } from '@jiebang/domain';

/** Every error answer: a stable code, a Chinese message, and the field when there is one. */
export class ErrorDto {
  @ApiProperty({ example: 'WRONG_STAGE', description: 'Stable error code' }) code!: string;
  @ApiProperty({ example: '当前环节不允许此操作', description: 'Message for people (Chinese)' }) message!: string;
  @ApiPropertyOptional({ example: 'comment', description: 'The input field the error is about' }) field?: string;
  @ApiPropertyOptional({ type: [Object], description: 'Every field problem, for validation errors' }) errors?: Array<{ field: string; message: string }>;
}

export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, field?: string, extra?: Record<string, unknown>) {
    super({ code, message, ...(field ? { field } : {}), ...(extra ?? {}) }, status);
  }
}

/** Not found, or not yours to see: the same answer, so nothing leaks. */
export function notFound(what = '申报项目'): ApiError {
  return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what}不存在或不在您的管辖范围内`);
}

export function forbidden(message = '您的角色无权执行此操作'): ApiError {
  return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
}

export function badRequest(code: string, message: string, field?: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, code, message, field);
}

/**
 * Bad input found beyond the DTO's own checks (against the database or across fields): the same
 * 400 as the validation pipe's, the field's path for its control, its label in the message.
 */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, field, { errors: [{ field, message }] });
}

export function unprocessable(code: string, message: string, field?: string): ApiError {
  return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, field);
}

export function conflict(code: string, message: string, field?: string): ApiError {
  return new ApiError(HttpStatus.CONFLICT, code, message, field);
}

/** A domain refusal as an HTTP answer (status from the refusal table: 403/404/409/422). */
export function refusalError(r: Refusal): ApiError {
  const status = refusalStatus(r.code);
  return new ApiError(status, r.code, r.message, r.field);
}
