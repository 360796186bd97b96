import type { GraphQLResolveInfo } from 'graphql';
import { inject, injectable } from 'inversify';
import { Arg, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { OperationContext } from '../../../platform/context';
import { connectionType, PAGE_ARGS, selectsTotalCount } from '../../../platform/gateway/connection';
import { EmailAddressScalar, TimeZoneScalar } from '../../../platform/gateway/scalars';
import type { Connection } from '../../../platform/paging';
import type { UserView } from '../services/user-store';
import { Role, User } from '../models/user.entity';
import { UserService } from '../services/user.service';
import { CreateUserInput, RegisterInput, UpdateUserInput } from './user.inputs';

@ObjectType('AuthPayload', { simpleResolvers: true, description: 'A signed-in session: the token to send and who it belongs to' })
class AuthPayload {
  @Field(() => String, { description: 'Send as "Authorization: Bearer <token>"' })
  token!: string;

  @Field(() => User, { description: 'The signed-in user' })
  user!: User;
}

const UserConnection = connectionType('User', User);

@injectable()
@Resolver(() => User)
export class UserResolver {
  constructor(@inject(UserService) private readonly accounts: UserService) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user, or null' })
  me(@Ctx() op: OperationContext): Promise<User | null> {
    return this.accounts.me(op);
  }

  @Query(() => User, { nullable: true, description: 'Self and admins; a therapist their patients while in a care relationship (a booked or accepted session, not ended); null for anyone else, as for an unknown id' })
  user(@Ctx() op: OperationContext, @Arg('id', () => ID, { description: 'The user id' }) id: string): Promise<User | null> {
    return this.accounts.user(op, id);
  }

  @Query(() => UserConnection, { description: 'Admins only; ordered by creation time' })
  users(
    @Ctx() op: OperationContext,
    @Arg('role', () => Role, { nullable: true, description: 'Only users with this role' }) role: Role | null,
    @Arg('search', () => String, { nullable: true, description: 'Matches email, first or last name' }) search: string | null,
    @Arg('first', () => Int, { nullable: true, description: PAGE_ARGS.first }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: PAGE_ARGS.after }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<UserView>> {
    return this.accounts.users(op, { role, search, first, after, withTotal: selectsTotalCount(info) });
  }

  @Mutation(() => AuthPayload, {
    description: 'Creates a PATIENT (default) or THERAPIST account and signs it in; an email already in use is CONFLICT; too many attempts from one client address are RATE_LIMITED',
  })
  register(@Ctx() op: OperationContext, @Arg('input', () => RegisterInput, { description: 'The new account' }) input: RegisterInput): Promise<AuthPayload> {
    return this.accounts.register(op, { ...input, role: input.role ?? Role.PATIENT, timezone: input.timezone ?? 'UTC' });
  }

  @Mutation(() => AuthPayload, {
    description: 'Signs in with email and password. A wrong pair is UNAUTHENTICATED (without saying which part), as is a deactivated account; repeated failures per account or per client address are RATE_LIMITED',
  })
  login(
    @Ctx() op: OperationContext,
    @Arg('email', () => String, { description: 'Sign-in address (case-insensitive)' }) email: string,
    @Arg('password', () => String, { description: 'The account password' }) password: string,
  ): Promise<AuthPayload> {
    return this.accounts.login(op, email, password);
  }

  @Mutation(() => User, { description: 'Admins only; any role' })
  createUser(@Ctx() op: OperationContext, @Arg('input', () => CreateUserInput, { description: 'The new account' }) input: CreateUserInput): Promise<User> {
    return this.accounts.createUser(op, input);
  }

  @Mutation(() => AuthPayload, {
    description: 'The signed-in user changes their password; every earlier token is refused from now on, the answer carries a fresh one',
  })
  changePassword(
    @Ctx() op: OperationContext,
    @Arg('currentPassword', () => String, { description: 'The password now in use (UNAUTHENTICATED when wrong)' }) currentPassword: string,
    @Arg('newPassword', () => String, { description: 'At least 10 characters' }) newPassword: string,
  ): Promise<AuthPayload> {
    return this.accounts.changePassword(op, currentPassword, newPassword);
  }

  @Mutation(() => User, {
    description: 'Self: names and timezone; admins: also role, isVerified and isActive. A role change or deactivation counts from the next operation and closes the user\'s sockets (4403)',
  })
  updateUser(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID, { description: 'The user to change (yourself unless you are an admin)' }) id: string,
    @Arg('input', () => UpdateUserInput, { description: 'The fields to change' }) input: UpdateUserInput,
  ): Promise<User> {
    return this.accounts.updateUser(op, id, input);
  }

  @FieldResolver(() => EmailAddressScalar, { description: 'Sign-in address (stored lower-case), typed EmailAddress' })
  emailAddress(@Root() user: UserView): string {
    return user.email;
  }

  @FieldResolver(() => TimeZoneScalar, { description: 'The IANA time zone the user lives in, e.g. Europe/Berlin; their working hours and day boundaries follow it' })
  timeZone(@Root() user: UserView): string {
    return user.timezone;
  }
}
