import { inject, injectable } from 'inversify';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { OperationContext } from '../../../platform/context';
import { connectionType } from '../../../platform/gateway/connection';
import type { Connection } from '../../../platform/paging';
import { Disorders } from '../application/disorders';
import type { Disorder } from '../domain/disorder';
import { DisorderTypeEnum } from './enums';
import { DisorderType } from './types';

const DisorderConnection = connectionType('Disorder', DisorderType);

@injectable()
@Resolver(() => DisorderType)
export class DisorderResolver {
  constructor(@inject(Disorders) private readonly catalogue: Disorders) {}

  @Query(() => DisorderConnection, { description: 'The reference catalogue, by name' })
  disorders(
    @Ctx() op: OperationContext,
    @Arg('type', () => DisorderTypeEnum, { nullable: true }) type: DisorderTypeEnum | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<Disorder>> {
    return this.catalogue.list(op, type, first, after);
  }

  @Query(() => DisorderType, { nullable: true })
  disorder(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string): Promise<Disorder | null> {
    return this.catalogue.get(op, id);
  }

  @Query(() => [DisorderType], { description: 'Ranked like a clinician reads the query: a condition named exactly (name, common name, abbreviation or lay phrase such as "can\'t sleep") first, then phrase matches, then shared words, then full text (name, symptoms, description); prefixes and typos match' })
  searchDisorders(
    @Ctx() op: OperationContext,
    @Arg('query', () => String) query: string,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
  ): Promise<Disorder[]> {
    return this.catalogue.search(op, query, limit);
  }
}
