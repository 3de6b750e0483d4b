// The Dezrez `PUT api/group/{id}/addgroupmember` contract (PascalCase, shaped as the seed).
import * as z from 'zod';
import { MAX_NAME_LENGTH, list } from './common.js';

const text = (max = MAX_NAME_LENGTH) => z.string().max(max).nullish();
const int = z.number().int().min(-2_147_483_648).max(2_147_483_647);

export const enumContract = z
  .object({ Id: int.nullish(), Name: text(), SystemName: text() })
  .meta({ id: 'DezrezEnum' });
export const enumOut = z.object({ Id: z.number().int(), Name: z.string(), SystemName: z.string() }).meta({ id: 'DezrezEnumOut' });

const createdBy = z
  .object({
    Initials: text(),
    ContactName: text(),
    Gender: enumContract.nullish(),
    Title: text(),
    FirstName: text(),
    LastName: text(),
    JobTitle: text(),
    Id: int.nullish(),
  })
  .loose();

export const addressIn = z
  .object({
    ContactOrder: int.nullish(),
    AddressType: enumContract.nullish(),
    Latitude: z.number().nullish(),
    Longitude: z.number().nullish(),
    AddressSource: enumContract.nullish(),
    SourceId: text(),
    OrganizationName: text(),
    Number: text(),
    BuildingName: text(),
    Street: text(),
    Town: text(),
    Locality: text(),
    County: text(),
    Postcode: text(),
    CreatedDate: text(64),
    CreatedBy: createdBy.nullish(),
    Id: int.nullish(),
  })
  .meta({ id: 'DezrezAddress' });

export const contactItemIn = z
  .object({
    Id: int.nullish(),
    Type: enumContract.nullish(),
    Value: text(320),
    Notes: text(1000),
    ContactOrder: int.nullish(),
    AllowContact: z.boolean().nullish(),
    MarketingContactStatus: enumContract.nullish(),
    NormalisedRegionCode: text(),
  })
  .meta({ id: 'DezrezContactItem' });

export const serviceTypeIn = z
  .object({ Service: enumContract.nullish(), Referral: z.boolean().nullish() })
  .meta({ id: 'DezrezServiceType' });

export const addGroupPerson = z
  .object({
    PersonId: int.nullish(),
    Gender: enumContract.nullish(),
    Title: text(50),
    FirstName: text(),
    LastName: text(),
    Addresses: list(addressIn).nullish(),
    ContactItems: list(contactItemIn).nullish(),
    ServiceTypes: list(serviceTypeIn).nullish(),
    ExternalApplicantReference: text(),
    Id: int.nullish(),
  })
  .meta({ id: 'DezrezAddGroupPerson' });

export const addGroupMemberBody = z
  .object({ Person: addGroupPerson, RelationshipType: enumContract.nullish(), Id: int.nullish() })
  .meta({
    id: 'DezrezAddGroupMember',
    example: {
      Person: {
        Title: 'Ms',
        FirstName: 'Anna',
        LastName: 'Muster',
        ContactItems: [{ Type: { SystemName: 'Email' }, Value: 'anna@example.com', ContactOrder: 1 }],
      },
      RelationshipType: { SystemName: 'GroupMember' },
    },
  });

export const dezrezGroupPath = z.object({
  id: z
    .string()
    .regex(/^[0-9]{1,10}$/, 'must be a positive int32')
    .transform(Number)
    .pipe(z.number().int().min(1).max(2_147_483_647)),
});

const contactItemOut = z
  .object({
    Type: enumOut,
    Value: z.string().nullable(),
    Notes: z.string().nullable(),
    ContactOrder: z.number().int().nullable(),
    AllowContact: z.boolean().nullable(),
    MarketingContactStatus: enumOut.nullable(),
    Name: z.string().nullable(),
    Id: z.number().int().nullable(),
  })
  .meta({ id: 'DezrezContactItemOut' });

const point = z.object({ Latitude: z.number(), Longitude: z.number(), Altitude: z.number(), Order: z.number().int(), Id: z.number().int() });

const addressOut = z
  .object({
    AddressType: enumOut.nullable(),
    ContactOrder: z.number().int().nullable(),
    Location: z
      .object({
        CenterPoint: point.nullable(),
        Extent: z.array(point),
        ViewPoints: z.array(z.unknown()),
        Id: z.number().int().nullable(),
      })
      .nullable(),
    AddressSource: enumOut.nullable(),
    SourceId: z.string().nullable(),
    OrganizationName: z.string().nullable(),
    Number: z.string().nullable(),
    BuildingName: z.string().nullable(),
    Street: z.string().nullable(),
    Town: z.string().nullable(),
    Locality: z.string().nullable(),
    County: z.string().nullable(),
    Postcode: z.string().nullable(),
    CreatedDate: z.string().nullable(),
    CreatedBy: z.unknown().nullable(),
    Id: z.number().int().nullable(),
  })
  .meta({ id: 'DezrezAddressOut' });

export const groupMemberDataContract = z
  .object({
    Person: z.object({
      Gender: enumOut.nullable(),
      Title: z.string().nullable(),
      FirstName: z.string().nullable(),
      LastName: z.string().nullable(),
      ContactName: z.string(),
      PrimaryTelephone: contactItemOut.nullable(),
      PrimaryEmail: contactItemOut.nullable(),
      Addresses: z.array(addressOut),
      ContactItems: z.array(contactItemOut),
      MarketingPreferences: z.array(
        z.object({
          ServiceType: enumOut.nullable(),
          ServiceStatusType: enumOut.nullable(),
          Referral: z.boolean().nullable(),
          ReferralStatusType: enumOut.nullable(),
          Id: z.number().int().nullable(),
        }),
      ),
      ExternalApplicantReference: z.string().nullable(),
      Id: z.number().int(),
    }),
    RelationshipType: enumOut,
    SystemStatus: enumOut,
    Order: z.number().int(),
    Id: z.number().int(),
  })
  .meta({ id: 'DezrezGroupMember' });
