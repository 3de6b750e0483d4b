// Dezrez views (SPEC 5.3): a stored contact and its membership as the seed's GroupMemberDataContract, and the person
// fields of an AddGroupPerson request as the profile fields this service stores.
import type * as z from '../schemas/zod.js';
import type { ContactProfileItem, Membership } from '../store/items.js';
import {
  addressIn,
  contactItemIn,
  serviceTypeIn,
  type DezrezAddressIn,
  type DezrezContactItemIn,
  type DezrezPersonIn,
  type DezrezServiceTypeIn,
  type GroupMemberDataContract,
  type addressOut,
  type contactItemOut,
  type createdBy,
} from '../schemas/dezrez.js';
import type { Language } from '../i18n/languages.js';
import { groupRelationshipTypeView, systemStatusView, type CatalogueView } from './catalogues.js';

type EnumEcho = { Id: number | null; Name: string | null; SystemName: string | null };
type ContactItemOut = z.input<typeof contactItemOut>;
type AddressOut = z.input<typeof addressOut>;
type EnumIn = { Id?: number | null | undefined; Name?: string | null | undefined; SystemName?: string | null | undefined };

/** Dezrez ContactItemType values that make a contact item a telephone / an e-mail address. */
const TELEPHONE_TYPES = new Set(['telephone', 'mobile', 'workphone']);
const EMAIL_TYPES = new Set(['email']);

const present = (s: string | null | undefined): s is string => s != null && s.trim() !== '';
const echo = (e: EnumIn | null | undefined): EnumEcho | null =>
  e ? { Id: e.Id ?? null, Name: e.Name ?? null, SystemName: e.SystemName ?? null } : null;
const catalogue = (v: CatalogueView) => ({ Id: v.id, Name: v.name, SystemName: v.systemName });

/** Stored lists are read back through the request schema: anything that does not parse is left out, never echoed raw. */
function parsedList<T>(schema: z.ZodMiniType<T>, stored: readonly unknown[] | undefined): T[] {
  return (stored ?? []).flatMap((x) => {
    const parsed = schema.safeParse(x);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Drops null/undefined fields so stored items hold only what the client gave. */
const compact = <T extends object>(value: T): T =>
  JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === null ? undefined : v))) as T;

/** The profile fields of a person created through the Dezrez endpoint. */
export function profileFieldsOf(person: DezrezPersonIn) {
  const contactItems = (person.ContactItems ?? []).map(compact);
  return {
    title: person.Title ?? undefined,
    firstName: person.FirstName ?? undefined,
    lastName: person.LastName?.trim() ?? undefined,
    gender: (present(person.Gender?.SystemName) ? person.Gender.SystemName : person.Gender?.Name) ?? undefined,
    // The flat email/phone fields keep the contact readable by the DFS side like an ingested one.
    email: primaryOf(contactItems, EMAIL_TYPES)?.Value ?? undefined,
    phone: primaryOf(contactItems, TELEPHONE_TYPES)?.Value ?? undefined,
    addresses: (person.Addresses ?? []).map(compact),
    contactItems,
    serviceTypes: (person.ServiceTypes ?? []).map(compact),
    externalApplicantReference: person.ExternalApplicantReference ?? undefined,
  };
}

/** The item with the lowest ContactOrder among the given types (ties: the first given). */
function primaryOf(items: readonly DezrezContactItemIn[], types: ReadonlySet<string>): DezrezContactItemIn | undefined {
  let best: DezrezContactItemIn | undefined;
  for (const item of items) {
    const type = item.Type?.SystemName?.trim().toLowerCase();
    if (!type || !types.has(type)) continue;
    if (!best || (item.ContactOrder ?? Number.MAX_SAFE_INTEGER) < (best.ContactOrder ?? Number.MAX_SAFE_INTEGER)) best = item;
  }
  return best;
}

const contactItemView = (item: DezrezContactItemIn): ContactItemOut => ({
  Type: echo(item.Type),
  Value: item.Value ?? null,
  Notes: item.Notes ?? null,
  ContactOrder: item.ContactOrder ?? null,
  AllowContact: item.AllowContact ?? null,
  MarketingContactStatus: echo(item.MarketingContactStatus),
  Name: item.Type?.Name ?? null,
  Id: item.Id ?? null,
});

type NestedItem = NonNullable<z.output<typeof createdBy>['PrimaryEmail']>;
const nestedItemView = (item: NestedItem | null | undefined): ContactItemOut | null =>
  item ? { ...contactItemView(item), Name: item.Name ?? item.Type?.Name ?? null } : null;

function createdByView(c: z.output<typeof createdBy> | null | undefined): AddressOut['CreatedBy'] {
  if (!c) return null;
  return {
    Initials: c.Initials ?? null,
    ContactName: c.ContactName ?? null,
    Gender: echo(c.Gender),
    Title: c.Title ?? null,
    FirstName: c.FirstName ?? null,
    LastName: c.LastName ?? null,
    PrimaryTelephone: nestedItemView(c.PrimaryTelephone),
    PrimaryEmail: nestedItemView(c.PrimaryEmail),
    JobTitle: c.JobTitle ?? null,
    Id: c.Id ?? null,
  };
}

const addressView = (a: DezrezAddressIn): AddressOut => ({
  AddressType: echo(a.AddressType),
  ContactOrder: a.ContactOrder ?? null,
  // Dezrez answers a location where it was given coordinates: the centre point, no extent, no view points.
  Location:
    a.Latitude != null && a.Longitude != null
      ? { CenterPoint: { Latitude: a.Latitude, Longitude: a.Longitude, Altitude: null, Order: null, Id: null }, Extent: [], ViewPoints: [], Id: null }
      : null,
  AddressSource: echo(a.AddressSource),
  SourceId: a.SourceId ?? null,
  OrganizationName: a.OrganizationName ?? null,
  Number: a.Number ?? null,
  BuildingName: a.BuildingName ?? null,
  Street: a.Street ?? null,
  Town: a.Town ?? null,
  Locality: a.Locality ?? null,
  County: a.County ?? null,
  Postcode: a.Postcode ?? null,
  CreatedDate: a.CreatedDate ?? null,
  CreatedBy: createdByView(a.CreatedBy),
  Id: a.Id ?? null,
});

const marketingPreferenceView = (s: DezrezServiceTypeIn) => ({
  ServiceType: echo(s.Service),
  ServiceStatusType: null,
  Referral: s.Referral ?? null,
  ReferralStatusType: null,
  Id: null,
});

/** Contact items of the profile; a contact known only from ingestion shows its e-mail and phone as items. */
function contactItemsOf(profile: ContactProfileItem): DezrezContactItemIn[] {
  const stored = parsedList(contactItemIn, profile.contactItems);
  if (stored.length > 0) return stored;
  const derived: DezrezContactItemIn[] = [];
  if (profile.email) derived.push({ Type: { SystemName: 'Email' }, Value: profile.email, ContactOrder: 1 });
  if (profile.phone) derived.push({ Type: { SystemName: 'Telephone' }, Value: profile.phone, ContactOrder: derived.length + 1 });
  return derived;
}

export const contactNameOf = (p: Pick<ContactProfileItem, 'title' | 'firstName' | 'lastName'>) =>
  [p.title, p.firstName, p.lastName].filter(present).map((s) => s.trim()).join(' ');

export function groupMemberView(profile: ContactProfileItem, membership: Membership, lang: Language): GroupMemberDataContract {
  const items = contactItemsOf(profile);
  const telephone = primaryOf(items, TELEPHONE_TYPES);
  const email = primaryOf(items, EMAIL_TYPES);
  return {
    Person: {
      Gender: present(profile.gender) ? { Id: null, Name: profile.gender, SystemName: profile.gender } : null,
      Title: profile.title ?? null,
      FirstName: profile.firstName ?? null,
      LastName: profile.lastName ?? null,
      ContactName: contactNameOf(profile),
      PrimaryTelephone: telephone ? contactItemView(telephone) : null,
      PrimaryEmail: email ? contactItemView(email) : null,
      Addresses: parsedList(addressIn, profile.addresses).map(addressView),
      ContactItems: items.map(contactItemView),
      MarketingPreferences: parsedList(serviceTypeIn, profile.serviceTypes).map(marketingPreferenceView),
      ExternalApplicantReference: profile.externalApplicantReference ?? null,
      Id: profile.contactId,
    },
    RelationshipType: catalogue(groupRelationshipTypeView(membership.relationshipType, lang)),
    SystemStatus: catalogue(systemStatusView(membership.systemStatus, lang)),
    Order: membership.order,
    Id: membership.membershipId,
  };
}
