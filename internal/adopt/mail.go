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
// mail (add-ons with ses_domain) and SES has one: its DKIM and MAIL FROM
// settings, and which of the root's records of it the public zone holds.
func (e *Estate) addMailIdentity(ctx context.Context, c Clients, root Root) error {
	domain := root.SESDomain
	if !root.Addons || domain == "" {
		return nil
	}
	verification, err := c.SES.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{Identities: []string{domain}})
	if err != nil {
		return fmt.Errorf("reading SES identity %s: %w", domain, err)
	}
	if _, ok := verification.VerificationAttributes[domain]; !ok {
		return nil // none: the root creates it
	}
	m := MailIdentity{Domain: domain}
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
	if m.ZoneID, err = publicZoneID(ctx, c.Route53, root.PublicZoneName); err != nil {
		return err
	}
	for _, r := range mailRecordsOf(domain, tokens, root.MailFromSubdomain+"."+domain) {
		exists, err := recordExists(ctx, c.Route53, m.ZoneID, r)
		if err != nil {
			return err
		}
		if exists {
			m.Records = append(m.Records, r)
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
		if strings.TrimSuffix(aws.ToString(z.Name), ".") == name && (z.Config == nil || !z.Config.PrivateZone) {
			return strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/"), nil
		}
	}
	return "", fmt.Errorf("no public Route53 zone named %s (public_zone_name)", name)
}

func recordExists(ctx context.Context, client *route53.Client, zoneID string, r MailRecord) (bool, error) {
	out, err := client.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID),
		StartRecordName: aws.String(r.Name), StartRecordType: r53types.RRType(r.Type), MaxItems: aws.Int32(1)})
	if err != nil {
		return false, fmt.Errorf("reading record %s %s of zone %s: %w", r.Name, r.Type, zoneID, err)
	}
	for _, set := range out.ResourceRecordSets {
		if strings.EqualFold(strings.TrimSuffix(aws.ToString(set.Name), "."), r.Name) && string(set.Type) == r.Type {
			return true, nil
		}
	}
	return false, nil
}

const opsAddress = "module.ops[0]"

// adoptions are the imports of the identity, its DKIM and MAIL FROM
// settings, and its records in the zone.
func (m *MailIdentity) adoptions() []Adoption {
	out := []Adoption{{Kind: "SES identity", Name: m.Domain, Address: opsAddress + ".aws_ses_domain_identity.this", ImportID: m.Domain,
		FirstPlan: "import; nothing changes: the domain stays verified with its token, and keeps its sending reputation"}}
	if m.DKIM {
		out = append(out, Adoption{Kind: "SES DKIM", Name: m.Domain, Address: opsAddress + ".aws_ses_domain_dkim.this", ImportID: m.Domain,
			FirstPlan: "import; its tokens stay, so the DKIM records stay valid"})
	}
	if m.MailFromDomain != "" {
		out = append(out, Adoption{Kind: "SES MAIL FROM", Name: m.MailFromDomain, Address: opsAddress + ".aws_ses_domain_mail_from.this", ImportID: m.Domain,
			FirstPlan: "import; update in place if the root's MAIL FROM domain (ses_mail_from_subdomain) differs"})
	}
	for _, r := range m.Records {
		out = append(out, Adoption{Kind: "DNS record", Name: r.Name + " " + r.Type, Address: fmt.Sprintf("%s.aws_route53_record.ses[%q]", opsAddress, r.Key),
			ImportID: m.ZoneID + "_" + r.Name + "_" + r.Type, FirstPlan: "import; update in place if its value or TTL differs"})
	}
	return out
}

// keptIdentifiers are the identity's and the records' names, as
// CloudFormation reports them as physical IDs (AWS::SES::EmailIdentity,
// AWS::Route53::RecordSet).
func (m *MailIdentity) keptIdentifiers() []string {
	if m == nil {
		return nil
	}
	ids := []string{m.Domain}
	for _, r := range m.Records {
		ids = append(ids, r.Name)
	}
	return ids
}
