// The Dezrez `PUT api/group/{id}/addgroupmember` contract (PascalCase, every field of the seed's request and response).
import * as z from './zod.js';
import { INT32_MAX, MAX_NAME_LENGTH, list, pathId } from './common.js';

const text = (max = MAX_NAME_LENGTH) => z.nullish(z.string().check(z.maxLength(max)));
const int = z.number().check(z.int(), z.gte(-INT32_MAX - 1), z.lte(INT32_MAX));
const integer = () => z.number().check(z.int());

// ---- request (AddGroupMemberCommandDataContract) ----

/** Dezrez.Core.DataContracts.External.Api.System.EnumDataContract */
export const enumContract = z.withMeta(
  z.object({ Id: z.nullish(int), Name: text(), SystemName: text() }),
  { id: 'DezrezEnum' });

/** A contact item as Dezrez nests it in `CreatedBy` (PrimaryTelephone / PrimaryEmail). */
const nestedContactItem = z.object({
  Type: z.nullish(enumContract),
  Value: text(320),
  Notes: text(1000),
  ContactOrder: z.nullish(int),
  AllowContact: z.nullish(z.boolean()),
  MarketingContactStatus: z.nullish(enumContract),
  Name: text(),
  Id: z.nullish(int),
});

export const createdBy = z.withMeta(
  z.object({
    Initials: text(),
    ContactName: text(),
    Gender: z.nullish(enumContract),
    Title: text(),
    FirstName: text(),
    LastName: text(),
    PrimaryTelephone: z.nullish(nestedContactItem),
    PrimaryEmail: z.nullish(nestedContactItem),
    JobTitle: text(),
    Id: z.nullish(int),
  }),
  { id: 'DezrezCreatedBy' });

export const addressIn = z.withMeta(
  z.object({
    ContactOrder: z.nullish(int),
    AddressType: z.nullish(enumContract),
    Latitude: z.nullish(z.number().check(z.gte(-90), z.lte(90))),
    Longitude: z.nullish(z.number().check(z.gte(-180), z.lte(180))),
    AddressSource: z.nullish(enumContract),
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
    CreatedBy: z.nullish(createdBy),
    Id: z.nullish(int),
  }),
  { id: 'DezrezAddress' });
export type DezrezAddressIn = z.output<typeof addressIn>;

export const contactItemIn = z.withMeta(
  z.object({
    Id: z.nullish(int),
    Type: z.nullish(enumContract),
    Value: text(320),
    Notes: text(1000),
    ContactOrder: z.nullish(int),
    AllowContact: z.nullish(z.boolean()),
    MarketingContactStatus: z.nullish(enumContract),
    NormalisedRegionCode: text(),
  }),
  { id: 'DezrezContactItem' });
export type DezrezContactItemIn = z.output<typeof contactItemIn>;

export const serviceTypeIn = z.withMeta(
  z.object({ Service: z.nullish(enumContract), Referral: z.nullish(z.boolean()) }),
  { id: 'DezrezServiceType' });
export type DezrezServiceTypeIn = z.output<typeof serviceTypeIn>;

const blank = (s: string | null | undefined) => s == null || s.trim() === '';

export const addGroupPerson = z.withMeta(
  z.object({
    PersonId: z.nullish(int),
    Gender: z.nullish(enumContract),
    Title: text(50),
    FirstName: text(),
    LastName: text(),
    Addresses: z.nullish(list(addressIn)),
    ContactItems: z.nullish(list(contactItemIn)),
    ServiceTypes: z.nullish(list(serviceTypeIn)),
    ExternalApplicantReference: text(),
    Id: z.nullish(int),
  })
  .check(
    z.superRefine((person, ctx) => {
      // Without an existing person to name, the person is created: it needs a last name (SPEC 5.3).
      if (person.PersonId == null && person.Id == null && blank(person.LastName)) {
        ctx.addIssue({ code: 'custom', path: ['LastName'], message: 'LastName is required to create a person (or give PersonId)' });
      }
    }),
  ),
  { id: 'DezrezAddGroupPerson' });
export type DezrezPersonIn = z.output<typeof addGroupPerson>;

export const addGroupMemberBody = z.withMeta(
  z.object({
    Person: addGroupPerson,
    RelationshipType: z.withMeta(z.nullish(enumContract), { description: 'Resolved by SystemName, else by Id; absent → GroupMember.' }),
    Id: z.withMeta(z.nullish(int), { description: 'Ignored: the group is the one in the path.' }),
  }),
  {
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
export const enumOut = z.withMeta(z.object({ Id: integer(), Name: z.string(), SystemName: z.string() }), { id: 'DezrezEnumOut' });
/** A value kept as the client gave it (any part may be missing). */
const enumEcho = z.withMeta(z.object({ Id: z.nullable(integer()), Name: z.nullable(z.string()), SystemName: z.nullable(z.string()) }), { id: 'DezrezEnumEcho' });

export const contactItemOut = z.withMeta(
  z.object({
    Type: z.nullable(enumEcho),
    Value: z.nullable(z.string()),
    Notes: z.nullable(z.string()),
    ContactOrder: z.nullable(integer()),
    AllowContact: z.nullable(z.boolean()),
    MarketingContactStatus: z.nullable(enumEcho),
    Name: z.nullable(z.string()),
    Id: z.nullable(integer()),
  }),
  { id: 'DezrezContactItemOut' });

const point = z.object({
  Latitude: z.nullable(z.number()),
  Longitude: z.nullable(z.number()),
  Altitude: z.nullable(z.number()),
  Order: z.nullable(integer()),
  Id: z.nullable(integer()),
});
const viewPoint = z.object({
  Point: z.nullable(point),
  Pitch: z.nullable(z.number()),
  Heading: z.nullable(z.number()),
  FieldOfVision: z.nullable(z.number()),
  Zoom: z.nullable(z.number()),
  Label: z.nullable(z.string()),
  Id: z.nullable(integer()),
});

const createdByOut = z.withMeta(
  z.object({
    Initials: z.nullable(z.string()),
    ContactName: z.nullable(z.string()),
    Gender: z.nullable(enumEcho),
    Title: z.nullable(z.string()),
    FirstName: z.nullable(z.string()),
    LastName: z.nullable(z.string()),
    PrimaryTelephone: z.nullable(contactItemOut),
    PrimaryEmail: z.nullable(contactItemOut),
    JobTitle: z.nullable(z.string()),
    Id: z.nullable(integer()),
  }),
  { id: 'DezrezCreatedByOut' });

export const addressOut = z.withMeta(
  z.object({
    AddressType: z.nullable(enumEcho),
    ContactOrder: z.nullable(integer()),
    Location: z.nullable(z.object({ CenterPoint: z.nullable(point), Extent: z.array(point), ViewPoints: z.array(viewPoint), Id: z.nullable(integer()) })),
    AddressSource: z.nullable(enumEcho),
    SourceId: z.nullable(z.string()),
    OrganizationName: z.nullable(z.string()),
    Number: z.nullable(z.string()),
    BuildingName: z.nullable(z.string()),
    Street: z.nullable(z.string()),
    Town: z.nullable(z.string()),
    Locality: z.nullable(z.string()),
    County: z.nullable(z.string()),
    Postcode: z.nullable(z.string()),
    CreatedDate: z.nullable(z.string()),
    CreatedBy: z.nullable(createdByOut),
    Id: z.nullable(integer()),
  }),
  { id: 'DezrezAddressOut' });

export const marketingPreferenceOut = z.withMeta(
  z.object({
    ServiceType: z.nullable(enumEcho),
    ServiceStatusType: z.nullable(enumEcho),
    Referral: z.nullable(z.boolean()),
    ReferralStatusType: z.nullable(enumEcho),
    Id: z.nullable(integer()),
  }),
  { id: 'DezrezMarketingPreference' });

export const groupMemberPerson = z.withMeta(
  z.object({
    Gender: z.nullable(enumEcho),
    Title: z.nullable(z.string()),
    FirstName: z.nullable(z.string()),
    LastName: z.nullable(z.string()),
    ContactName: z.string(),
    PrimaryTelephone: z.nullable(contactItemOut),
    PrimaryEmail: z.nullable(contactItemOut),
    Addresses: z.array(addressOut),
    ContactItems: z.array(contactItemOut),
    MarketingPreferences: z.array(marketingPreferenceOut),
    ExternalApplicantReference: z.nullable(z.string()),
    Id: z.withMeta(integer(), { description: 'The contactId.' }),
  }),
  { id: 'DezrezGroupMemberPerson' });

export const groupMemberDataContract = z.withMeta(
  z.object({
    Person: groupMemberPerson,
    RelationshipType: enumOut,
    SystemStatus: enumOut,
    Order: integer(),
    Id: z.withMeta(integer(), { description: 'The membership id.' }),
  }),
  {
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
