import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { ROLE_DESCRIPTION, ROLE_VALUES, type Role as RoleName } from '../../../contracts/users';
import { describedEnum } from '../../../platform/gateway/described-enum';

export enum Role {
  PATIENT = 'PATIENT',
  THERAPIST = 'THERAPIST',
  ADMIN = 'ADMIN',
  ANALYST = 'ANALYST',
}
describedEnum(Role, 'Role', ROLE_DESCRIPTION, ROLE_VALUES);

/** A person with an account. Layered module: one class is both the row and the GraphQL type. */
@Entity({ schema: 'users', tableName: 'user_account' })
@ObjectType('User', { description: 'A person with an Aura account', simpleResolvers: true })
export class User {
  [OptionalProps]?: 'role' | 'isVerified' | 'isActive' | 'tokenVersion' | 'timezone' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Stable id of the account; also a Node id (Query.node)' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Sign-in address (stored lower-case)', deprecationReason: 'Use emailAddress (typed EmailAddress)' })
  email!: string;

  /** scrypt hash with its parameters; never a GraphQL field. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Given name' })
  firstName!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Family name' })
  lastName!: string;

  @Enum({ items: () => Role, type: 'text' })
  @Field(() => Role, { description: 'What the user is to the practice; decides what they may see and do' })
  role: RoleName = Role.PATIENT;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'True once an admin confirmed the person (e.g. a therapist\'s licence); set by admins only' })
  isVerified: boolean = false;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'False once an admin deactivated the account: it cannot sign in and its tokens are refused' })
  isActive: boolean = true;

  /** Raised by deactivation and password changes: tokens carrying an older version are refused. Never a GraphQL field. */
  @Property({ type: 'integer', hidden: true })
  tokenVersion: number = 0;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin', deprecationReason: 'Use timeZone (typed TimeZone)' })
  timezone: string = 'UTC';

  @Property({ type: 'timestamptz' })
  @Field(() => Date, { description: 'When the account was created' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
