import { Field, InputType } from 'type-graphql';
import { Role } from '../models/user.entity';

@InputType('RegisterInput')
export class RegisterInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => Role, { nullable: true, defaultValue: Role.PATIENT, description: 'PATIENT or THERAPIST; other roles are created by an admin' })
  role?: Role | null;

  @Field(() => String, { nullable: true, defaultValue: 'UTC', description: 'IANA time zone, e.g. America/New_York' })
  timezone?: string | null;
}

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { defaultValue: 'UTC' })
  timezone!: string;

  @Field(() => Boolean, { defaultValue: false })
  isVerified!: boolean;
}

@InputType('UpdateUserInput', { description: 'Omitted fields stay as they are; role, isVerified and isActive are for admins' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  timezone?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => Boolean, { nullable: true })
  isVerified?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Admins: false deactivates the account (sign-in and every token refused, sockets closed); true lets it sign in again",
  })
  isActive?: boolean | null;
}
