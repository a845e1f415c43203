package adopt

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

// MailIdentity is the SES domain identity of the root's ses_domain as it
// exists before the adoption (Copilot's estate sends mail through it), with
// what SES set up for it and the DNS records of it the root's public zone
// already holds. Imported, the root takes it over as it is (no new
// verification; its DKIM tokens and sending reputation stay), its records
// show in the plan as imports rather than creates that overwrite them, and
// the stack report covers them (an add-on's stack would delete them).
type MailIdentity struct {
	Domain         string
	Status         string // SES's verification status: Success, Pending, Failed, ...
	DKIM           bool   // Easy DKIM tokens exist
	MailFromDomain string // empty: no custom MAIL FROM domain
	ZoneID         string
	Records        []MailRecord // those already in the zone
}

// MailRecord is one of modules/ops' records (aws_route53_record.ses, by its
// key) that exists in the zone.
type MailRecord struct{ Key, Name, Type string }

// mailRecordsOf are the records modules/ops publishes for domain, by key:
// the verification TXT, one CNAME per DKIM token, and the MAIL FROM MX and
// SPF TXT (https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html,
// https://docs.aws.amazon.com/ses/latest/dg/mail-from.html).
func mailRecordsOf(domain string, dkimTokens []string, mailFromDomain string) []MailRecord {
	out := []MailRecord{{"verification", "_amazonses." + domain, "TXT"}}
	for i, token := range dkimTokens {
		out = append(out, MailRecord{fmt.Sprintf("dkim-%d", i), token + "._domainkey." + domain, "CNAME"})
	}
	return append(out, MailRecord{"mail-from-mx", mailFromDomain, "MX"}, MailRecord{"mail-from-spf", mailFromDomain, "TXT"})
}

// addMailIdentity reads the identity of root.SESDomain, if the root sends
// mail (add-ons with ses_domain) and SES has one in this region: its status,
// DKIM and MAIL FROM settings, and which of the root's records of it the
// public zone holds. What the first apply would change unasked is listed:
// records of the domain in the zone without an identity here (the root's
// records overwrite them), a verification TXT with several values (other
// regions' tokens: the root writes one), another MAIL FROM domain.
func (e *Estate) addMailIdentity(ctx context.Context, c Clients, root Root) error {
	domain := root.SESDomain
	if !root.Addons || domain == "" {
		return nil
	}
	zoneID, err := publicZoneID(ctx, c.Route53, root.PublicZoneName)
	if err != nil {
		return err
	}
	rootMailFrom := root.MailFromSubdomain + "." + domain
	verification, err := c.SES.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{Identities: []string{domain}})
	if err != nil {
		return fmt.Errorf("reading SES identity %s: %w", domain, err)
	}
	attrs, found := verification.VerificationAttributes[domain]
	if !found {
		for _, r := range mailRecordsOf(domain, nil, rootMailFrom) {
			values, err := recordValues(ctx, c.Route53, zoneID, r)
			if err != nil {
				return err
			}
			if values != nil {
				e.Skipped = append(e.Skipped, Skipped{"DNS record", r.Name + " " + r.Type,
					"in the zone, but SES has no identity of ses_domain in this region: the first apply creates one and overwrites this record (allow_overwrite)"})
			}
		}
		return nil
	}
	m := MailIdentity{Domain: domain, ZoneID: zoneID, Status: string(attrs.VerificationStatus)}
	dkim, err := c.SES.GetIdentityDkimAttributes(ctx, &ses.GetIdentityDkimAttributesInput{Identities: []string{domain}})
	if err != nil {
		return fmt.Errorf("reading the DKIM settings of SES identity %s: %w", domain, err)
	}
	tokens := dkim.DkimAttributes[domain].DkimTokens
	m.DKIM = len(tokens) > 0
	mailFrom, err := c.SES.GetIdentityMailFromDomainAttributes(ctx, &ses.GetIdentityMailFromDomainAttributesInput{Identities: []string{domain}})
	if err != nil {
		return fmt.Errorf("reading the MAIL FROM domain of SES identity %s: %w", domain, err)
	}
	m.MailFromDomain = aws.ToString(mailFrom.MailFromDomainAttributes[domain].MailFromDomain)
	if m.MailFromDomain != "" && !strings.EqualFold(m.MailFromDomain, rootMailFrom) {
		e.Skipped = append(e.Skipped, Skipped{"SES MAIL FROM", m.MailFromDomain,
			"not the root's " + rootMailFrom + " (ses_mail_from_subdomain): the first apply changes it; until the new MX is found SES sends from amazonses.com, and the old domain's records stay"})
	}
	for _, r := range mailRecordsOf(domain, tokens, rootMailFrom) {
		values, err := recordValues(ctx, c.Route53, zoneID, r)
		if err != nil {
			return err
		}
		if values == nil {
			continue
		}
		m.Records = append(m.Records, r)
		if r.Type == "TXT" && len(values) > 1 {
			e.Skipped = append(e.Skipped, Skipped{"DNS record values", r.Name + " " + r.Type,
				fmt.Sprintf("holds %d values (another region's token, another sender): the root writes only its own, so the first apply drops the others", len(values))})
		}
	}
	e.Mail = &m
	return nil
}

// publicZoneID is the ID of the public hosted zone named name.
func publicZoneID(ctx context.Context, client *route53.Client, name string) (string, error) {
	out, err := client.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("looking up the public zone %s: %w", name, err)
	}
	for _, z := range out.HostedZones {
		if normalName(aws.ToString(z.Name)) == normalName(name) && (z.Config == nil || !z.Config.PrivateZone) {
			return strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/"), nil
		}
	}
	return "", fmt.Errorf("no public Route53 zone named %s (public_zone_name)", name)
}

// recordValues are the values of record r in the zone; nil when there is
// no such record set.
func recordValues(ctx context.Context, client *route53.Client, zoneID string, r MailRecord) ([]string, error) {
	out, err := client.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID),
		StartRecordName: aws.String(r.Name), StartRecordType: r53types.RRType(r.Type), MaxItems: aws.Int32(1)})
	if err != nil {
		return nil, fmt.Errorf("reading record %s %s of zone %s: %w", r.Name, r.Type, zoneID, err)
	}
	for _, set := range out.ResourceRecordSets {
		if normalName(aws.ToString(set.Name)) == normalName(r.Name) && string(set.Type) == r.Type {
			values := make([]string, 0, len(set.ResourceRecords))
			for _, rr := range set.ResourceRecords {
				values = append(values, aws.ToString(rr.Value))
			}
			return values, nil
		}
	}
	return nil, nil
}

// normalName is a DNS name as compared: lower case, no final dot.
func normalName(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

const opsAddress = "module.ops[0]"

// adoptions are the imports of the identity, its DKIM and MAIL FROM
// settings, and its records in the zone.
func (m *MailIdentity) adoptions() []Adoption {
	identity := "import; nothing changes: the domain stays verified with its token, and keeps its sending reputation"
	if m.Status != "Success" {
		identity = "import; its verification is " + m.Status + ": the apply waits for Success (aws_ses_domain_identity_verification) once the records are in place"
	}
	out := []Adoption{{Kind: "SES identity", Name: m.Domain, Address: opsAddress + ".aws_ses_domain_identity.this[0]", ImportID: m.Domain, FirstPlan: identity}}
	if m.DKIM {
		out = append(out, Adoption{Kind: "SES DKIM", Name: m.Domain, Address: opsAddress + ".aws_ses_domain_dkim.this[0]", ImportID: m.Domain,
			FirstPlan: "import; its tokens stay, so the DKIM records stay valid"})
	}
	if m.MailFromDomain != "" {
		out = append(out, Adoption{Kind: "SES MAIL FROM", Name: m.MailFromDomain, Address: opsAddress + ".aws_ses_domain_mail_from.this[0]", ImportID: m.Domain,
			FirstPlan: "import; update in place if the root's MAIL FROM domain (ses_mail_from_subdomain) differs"})
	}
	for _, r := range m.Records {
		out = append(out, Adoption{Kind: "DNS record", Name: r.Name + " " + r.Type, Address: fmt.Sprintf("%s.aws_route53_record.ses[%q]", opsAddress, r.Key),
			ImportID: m.ZoneID + "_" + r.Name + "_" + r.Type, FirstPlan: "import; update in place if its value or TTL differs"})
	}
	return out
}

// keeps tells whether a stack resource is the identity or one of the
// adopted records, by type and name.
func (m *MailIdentity) keeps(r stackResource) bool {
	if m == nil {
		return false
	}
	switch r.Type {
	case "AWS::SES::EmailIdentity":
		return normalName(r.PhysicalID) == normalName(m.Domain)
	case "AWS::Route53::RecordSet":
		for _, record := range m.Records {
			if normalName(r.PhysicalID) == normalName(record.Name) {
				return true
			}
		}
	}
	return false
}
