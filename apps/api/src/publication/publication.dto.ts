import { ApplicationRefDto } from '../common/application-ref.dto';

export class ReservePoolEntryDto extends ApplicationRefDto {
  creditCode!: string;
  taskName!: string;
  cityName!: string;
  stage!: string;
  addedAt!: string;
}
