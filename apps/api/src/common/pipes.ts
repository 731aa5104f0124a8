import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from './errors';

/** Application numbers look like JB2026P-000001; anything else cannot exist (404, no query). */
@Injectable()
export class ApplicationIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^JB[A-Z0-9]{1,20}-[A-Z0-9]{1,12}$/.test(value)) throw notFound();
    return value;
  }
}

@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  /** What the id names, for the 404. */
  protected readonly what: string = '文件';
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw notFound(this.what);
    return value;
  }
}

@Injectable()
export class SelectionListIdPipe extends UuidPipe {
  protected override readonly what = '入围名单';
}

@Injectable()
export class AcceptanceRoundIdPipe extends UuidPipe {
  protected override readonly what = '验收批次';
}

@Injectable()
export class CampaignIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9]{1,20}$/.test(value)) throw notFound('申报批次');
    return value;
  }
}

@Injectable()
export class RegionCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^\d{6}$/.test(value)) throw notFound('行政区划');
    return value;
  }
}

const BIGINT_MAX = 9223372036854775807n;

/** A positive bigint id (notifications, audit rows); anything else, or beyond bigint, cannot exist: 404. */
@Injectable()
export class BigIntIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value) || BigInt(value) > BIGINT_MAX) throw notFound('记录');
    return value;
  }
}
