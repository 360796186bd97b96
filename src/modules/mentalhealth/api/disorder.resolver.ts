import { inject, injectable } from 'inversify';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { OperationContext } from '../../../platform/context';
import { connectionType, PAGE_ARGS } from '../../../platform/gateway/connection';
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
    @Arg('type', () => DisorderTypeEnum, { nullable: true, description: 'Only conditions of this kind' }) type: DisorderTypeEnum | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
  ): Promise<Connection<Disorder>> {
    return this.catalogue.list(op, type, first, after);
  }

  @Query(() => DisorderType, { nullable: true, description: 'One catalogue entry (anyone, signed in or not); null for an unknown id' })
  disorder(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The catalogue entry id' }) id: string): Promise<Disorder | null> {
    return this.catalogue.get(op, id);
  }

  @Query(() => [DisorderType], { description: 'Ranked like a clinician reads the query: a condition named exactly (name, common name, abbreviation or lay phrase such as "can\'t sleep") first, then phrase matches, then shared words, then full text (name, symptoms, description); prefixes and typos match' })
  searchDisorders(
    @Ctx() op: OperationContext,
    @Arg('query', () => String, { description: 'Words, a name or a lay phrase, e.g. "panic attacks"' }) query: string,
    @Arg('limit', () => Int, { defaultValue: 10, description: 'How many results at most: positive, capped at 50' }) limit: number,
  ): Promise<Disorder[]> {
    return this.catalogue.search(op, query, limit);
  }
}
