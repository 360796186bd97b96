import { inject, injectable } from 'inversify';
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { OperationContext } from '../../../platform/context';
import { connectionType } from '../../../platform/gateway/connection';
import type { Connection } from '../../../platform/paging';
import type { UserView } from '../services/user-store';
import { Role, User } from '../models/user.entity';
import { UserService } from '../services/user.service';
import { CreateUserInput, RegisterInput, UpdateUserInput } from './user.inputs';

@ObjectType('AuthPayload', { simpleResolvers: true })
class AuthPayload {
  @Field(() => String, { description: 'Send as "Authorization: Bearer <token>"' })
  token!: string;

  @Field(() => User)
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
  user(@Ctx() op: OperationContext, @Arg('id', () => ID) id: string): Promise<User | null> {
    return this.accounts.user(op, id);
  }

  @Query(() => UserConnection, { description: 'Admins only; ordered by creation time' })
  users(
    @Ctx() op: OperationContext,
    @Arg('role', () => Role, { nullable: true }) role: Role | null,
    @Arg('search', () => String, { nullable: true, description: 'Matches email, first or last name' }) search: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<UserView>> {
    return this.accounts.users(op, { role, search, first, after });
  }

  @Mutation(() => AuthPayload)
  register(@Ctx() op: OperationContext, @Arg('input', () => RegisterInput) input: RegisterInput): Promise<AuthPayload> {
    return this.accounts.register(op, { ...input, role: input.role ?? Role.PATIENT, timezone: input.timezone ?? 'UTC' });
  }

  @Mutation(() => AuthPayload)
  login(
    @Ctx() op: OperationContext,
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
  ): Promise<AuthPayload> {
    return this.accounts.login(op, email, password);
  }

  @Mutation(() => User, { description: 'Admins only; any role' })
  createUser(@Ctx() op: OperationContext, @Arg('input', () => CreateUserInput) input: CreateUserInput): Promise<User> {
    return this.accounts.createUser(op, input);
  }

  @Mutation(() => AuthPayload, {
    description: 'The signed-in user changes their password; every earlier token is refused from now on, the answer carries a fresh one',
  })
  changePassword(
    @Ctx() op: OperationContext,
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String, { description: 'At least 10 characters' }) newPassword: string,
  ): Promise<AuthPayload> {
    return this.accounts.changePassword(op, currentPassword, newPassword);
  }

  @Mutation(() => User, {
    description: 'Self: names and timezone; admins: also role, isVerified and isActive. A role change or deactivation counts from the next operation and closes the user\'s sockets (4403)',
  })
  updateUser(
    @Ctx() op: OperationContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
  ): Promise<User> {
    return this.accounts.updateUser(op, id, input);
  }
}
