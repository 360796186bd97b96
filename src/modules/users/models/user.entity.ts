import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { Role as RoleName } from '../../../contracts/users';

export enum Role {
  PATIENT = 'PATIENT',
  THERAPIST = 'THERAPIST',
  ADMIN = 'ADMIN',
  ANALYST = 'ANALYST',
}
registerEnumType(Role, { name: 'Role', description: 'What a user is to the practice' });

/** A person with an account. Layered module: one class is both the row and the GraphQL type. */
@Entity({ schema: 'users', tableName: 'user_account' })
@ObjectType('User', { description: 'A person with an Aura account', simpleResolvers: true })
export class User {
  [OptionalProps]?: 'role' | 'isVerified' | 'isActive' | 'tokenVersion' | 'timezone' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = randomUUID();

  @Property({ type: 'text' })
  @Field(() => String)
  email!: string;

  /** scrypt hash with its parameters; never a GraphQL field. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  firstName!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  lastName!: string;

  @Enum({ items: () => Role, type: 'text' })
  @Field(() => Role)
  role: RoleName = Role.PATIENT;

  @Property({ type: 'boolean' })
  @Field(() => Boolean)
  isVerified: boolean = false;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'False once an admin deactivated the account: it cannot sign in and its tokens are refused' })
  isActive: boolean = true;

  /** Raised by deactivation and password changes: tokens carrying an older version are refused. Never a GraphQL field. */
  @Property({ type: 'integer', hidden: true })
  tokenVersion: number = 0;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin' })
  timezone: string = 'UTC';

  @Property({ type: 'timestamptz' })
  @Field(() => Date)
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
