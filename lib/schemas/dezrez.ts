// The Dezrez `PUT api/group/{id}/addgroupmember` contract (PascalCase, every field of the seed's request and response).
import * as z from 'zod';
import { INT32_MAX, MAX_NAME_LENGTH, list, pathId } from './common.js';

const text = (max = MAX_NAME_LENGTH) => z.string().max(max).nullish();
const int = z.number().int().min(-INT32_MAX - 1).max(INT32_MAX);

// ---- request (AddGroupMemberCommandDataContract) ----

/** Dezrez.Core.DataContracts.External.Api.System.EnumDataContract */
export const enumContract = z
  .object({ Id: int.nullish(), Name: text(), SystemName: text() })
  .meta({ id: 'DezrezEnum' });

/** A contact item as Dezrez nests it in `CreatedBy` (PrimaryTelephone / PrimaryEmail). */
const nestedContactItem = z.object({
  Type: enumContract.nullish(),
  Value: text(320),
  Notes: text(1000),
  ContactOrder: int.nullish(),
  AllowContact: z.boolean().nullish(),
  MarketingContactStatus: enumContract.nullish(),
  Name: text(),
  Id: int.nullish(),
});

export const createdBy = z
  .object({
    Initials: text(),
    ContactName: text(),
    Gender: enumContract.nullish(),
    Title: text(),
    FirstName: text(),
    LastName: text(),
    PrimaryTelephone: nestedContactItem.nullish(),
    PrimaryEmail: nestedContactItem.nullish(),
    JobTitle: text(),
    Id: int.nullish(),
  })
  .meta({ id: 'DezrezCreatedBy' });

export const addressIn = z
  .object({
    ContactOrder: int.nullish(),
    AddressType: enumContract.nullish(),
    Latitude: z.number().min(-90).max(90).nullish(),
    Longitude: z.number().min(-180).max(180).nullish(),
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
export type DezrezAddressIn = z.output<typeof addressIn>;

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
export type DezrezContactItemIn = z.output<typeof contactItemIn>;

export const serviceTypeIn = z
  .object({ Service: enumContract.nullish(), Referral: z.boolean().nullish() })
  .meta({ id: 'DezrezServiceType' });
export type DezrezServiceTypeIn = z.output<typeof serviceTypeIn>;

const blank = (s: string | null | undefined) => s == null || s.trim() === '';

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
  .superRefine((person, ctx) => {
    // Without an existing person to name, the person is created: it needs a last name (SPEC 5.3).
    if (person.PersonId == null && person.Id == null && blank(person.LastName)) {
      ctx.addIssue({ code: 'custom', path: ['LastName'], message: 'LastName is required to create a person (or give PersonId)' });
    }
  })
  .meta({ id: 'DezrezAddGroupPerson' });
export type DezrezPersonIn = z.output<typeof addGroupPerson>;

export const addGroupMemberBody = z
  .object({
    Person: addGroupPerson,
    RelationshipType: enumContract.nullish().meta({ description: 'Resolved by SystemName, else by Id; absent → GroupMember.' }),
    Id: int.nullish().meta({ description: 'Ignored: the group is the one in the path.' }),
  })
  .meta({
    id: 'DezrezAddGroupMember',
    example: {
      Person: {
        Title: 'Ms',
        FirstName: 'Anna',
        LastName: 'Muster',
        ContactItems: [
          { Type: { SystemName: 'Email' }, Value: 'anna@example.com', ContactOrder: 1 },
          { Type: { SystemName: 'Mobile' }, Value: '+41 79 555 01 01', ContactOrder: 2 },
        ],
      },
      RelationshipType: { SystemName: 'FamilyContact' },
    },
  });
export type DezrezAddGroupMemberIn = z.output<typeof addGroupMemberBody>;

export const dezrezGroupPath = z.object({ id: pathId });

// ---- response (GroupMemberDataContract) ----

/** A catalogue value of this service (always complete). */
export const enumOut = z.object({ Id: z.number().int(), Name: z.string(), SystemName: z.string() }).meta({ id: 'DezrezEnumOut' });
/** A value kept as the client gave it (any part may be missing). */
const enumEcho = z.object({ Id: z.number().int().nullable(), Name: z.string().nullable(), SystemName: z.string().nullable() }).meta({ id: 'DezrezEnumEcho' });

export const contactItemOut = z
  .object({
    Type: enumEcho.nullable(),
    Value: z.string().nullable(),
    Notes: z.string().nullable(),
    ContactOrder: z.number().int().nullable(),
    AllowContact: z.boolean().nullable(),
    MarketingContactStatus: enumEcho.nullable(),
    Name: z.string().nullable(),
    Id: z.number().int().nullable(),
  })
  .meta({ id: 'DezrezContactItemOut' });

const point = z.object({
  Latitude: z.number().nullable(),
  Longitude: z.number().nullable(),
  Altitude: z.number().nullable(),
  Order: z.number().int().nullable(),
  Id: z.number().int().nullable(),
});
const viewPoint = z.object({
  Point: point.nullable(),
  Pitch: z.number().nullable(),
  Heading: z.number().nullable(),
  FieldOfVision: z.number().nullable(),
  Zoom: z.number().nullable(),
  Label: z.string().nullable(),
  Id: z.number().int().nullable(),
});

const createdByOut = z
  .object({
    Initials: z.string().nullable(),
    ContactName: z.string().nullable(),
    Gender: enumEcho.nullable(),
    Title: z.string().nullable(),
    FirstName: z.string().nullable(),
    LastName: z.string().nullable(),
    PrimaryTelephone: contactItemOut.nullable(),
    PrimaryEmail: contactItemOut.nullable(),
    JobTitle: z.string().nullable(),
    Id: z.number().int().nullable(),
  })
  .meta({ id: 'DezrezCreatedByOut' });

export const addressOut = z
  .object({
    AddressType: enumEcho.nullable(),
    ContactOrder: z.number().int().nullable(),
    Location: z
      .object({ CenterPoint: point.nullable(), Extent: z.array(point), ViewPoints: z.array(viewPoint), Id: z.number().int().nullable() })
      .nullable(),
    AddressSource: enumEcho.nullable(),
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
    CreatedBy: createdByOut.nullable(),
    Id: z.number().int().nullable(),
  })
  .meta({ id: 'DezrezAddressOut' });

export const marketingPreferenceOut = z
  .object({
    ServiceType: enumEcho.nullable(),
    ServiceStatusType: enumEcho.nullable(),
    Referral: z.boolean().nullable(),
    ReferralStatusType: enumEcho.nullable(),
    Id: z.number().int().nullable(),
  })
  .meta({ id: 'DezrezMarketingPreference' });

export const groupMemberPerson = z
  .object({
    Gender: enumEcho.nullable(),
    Title: z.string().nullable(),
    FirstName: z.string().nullable(),
    LastName: z.string().nullable(),
    ContactName: z.string(),
    PrimaryTelephone: contactItemOut.nullable(),
    PrimaryEmail: contactItemOut.nullable(),
    Addresses: z.array(addressOut),
    ContactItems: z.array(contactItemOut),
    MarketingPreferences: z.array(marketingPreferenceOut),
    ExternalApplicantReference: z.string().nullable(),
    Id: z.number().int().meta({ description: 'The contactId.' }),
  })
  .meta({ id: 'DezrezGroupMemberPerson' });

export const groupMemberDataContract = z
  .object({
    Person: groupMemberPerson,
    RelationshipType: enumOut,
    SystemStatus: enumOut,
    Order: z.number().int(),
    Id: z.number().int().meta({ description: 'The membership id.' }),
  })
  .meta({
    id: 'DezrezGroupMember',
    example: (() => {
      const email = {
        Type: { Id: null, Name: null, SystemName: 'Email' },
        Value: 'anna@example.com',
        Notes: null,
        ContactOrder: 1,
        AllowContact: null,
        MarketingContactStatus: null,
        Name: null,
        Id: null,
      };
      const mobile = { ...email, Type: { Id: null, Name: null, SystemName: 'Mobile' }, Value: '+41 79 555 01 01', ContactOrder: 2 };
      return {
        Person: {
          Gender: null,
          Title: 'Ms',
          FirstName: 'Anna',
          LastName: 'Muster',
          ContactName: 'Ms Anna Muster',
          PrimaryTelephone: mobile,
          PrimaryEmail: email,
          Addresses: [],
          ContactItems: [email, mobile],
          MarketingPreferences: [],
          ExternalApplicantReference: null,
          Id: 25,
        },
        RelationshipType: { Id: 5, Name: 'Family contact', SystemName: 'FamilyContact' },
        SystemStatus: { Id: 1, Name: 'Active', SystemName: 'Active' },
        Order: 3,
        Id: 311,
      };
    })(),
  });
export type GroupMemberDataContract = z.input<typeof groupMemberDataContract>;
