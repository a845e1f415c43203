package copilotfixture

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

// MailIdentity is the SES domain identity an add-on of the estate made, and
// what SES handed out for it.
type MailIdentity struct {
	VerificationToken string
	DKIMTokens        []string
	MailFromDomain    string
}

// MailIdentity makes the SES domain identity of domain as a custom add-on
// with AWS::SES::EmailIdentity leaves it (Copilot has no mail add-on of its
// own): the domain identity, Easy DKIM, the MAIL FROM domain
// mail.<domain>, and in the public zone zoneID the records SES asks for
// (https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html,
// https://docs.aws.amazon.com/ses/latest/dg/mail-from.html).
func (e *Estate) MailIdentity(domain, zoneID string) MailIdentity {
	ctx := context.Background()
	client := ses.NewFromConfig(e.cfg)
	_, err := client.VerifyDomainIdentity(ctx, &ses.VerifyDomainIdentityInput{Domain: aws.String(domain)})
	must(e.t, err)
	e.cleanup(func() { _, _ = client.DeleteIdentity(ctx, &ses.DeleteIdentityInput{Identity: aws.String(domain)}) })
	_, err = client.VerifyDomainDkim(ctx, &ses.VerifyDomainDkimInput{Domain: aws.String(domain)})
	must(e.t, err)
	m := MailIdentity{MailFromDomain: "mail." + domain}
	// The tokens as SES reports them afterwards (what DNS must carry, and
	// what the adoption is checked against; moto's Verify* answers differ).
	verification, err := client.GetIdentityVerificationAttributes(ctx, &ses.GetIdentityVerificationAttributesInput{Identities: []string{domain}})
	must(e.t, err)
	m.VerificationToken = aws.ToString(verification.VerificationAttributes[domain].VerificationToken)
	dkim, err := client.GetIdentityDkimAttributes(ctx, &ses.GetIdentityDkimAttributesInput{Identities: []string{domain}})
	must(e.t, err)
	m.DKIMTokens = dkim.DkimAttributes[domain].DkimTokens
	_, err = client.SetIdentityMailFromDomain(ctx, &ses.SetIdentityMailFromDomainInput{Identity: aws.String(domain), MailFromDomain: aws.String(m.MailFromDomain)})
	must(e.t, err)

	records := []r53types.ResourceRecordSet{
		txtRecord("_amazonses."+domain, m.VerificationToken),
		{Name: aws.String(m.MailFromDomain), Type: r53types.RRTypeMx, TTL: aws.Int64(600),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(fmt.Sprintf("10 feedback-smtp.%s.amazonses.com", e.cfg.Region))}}},
		txtRecord(m.MailFromDomain, "v=spf1 include:amazonses.com ~all"),
	}
	for _, token := range m.DKIMTokens {
		records = append(records, r53types.ResourceRecordSet{Name: aws.String(token + "._domainkey." + domain), Type: r53types.RRTypeCname, TTL: aws.Int64(600),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(token + ".dkim.amazonses.com")}}})
	}
	changes := make([]r53types.Change, len(records))
	for i := range records {
		changes[i] = r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: &records[i]}
	}
	_, err = route53.NewFromConfig(e.cfg).ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zoneID),
		ChangeBatch: &r53types.ChangeBatch{Changes: changes}})
	must(e.t, err) // the records go with the zone
	return m
}

// txtRecord quotes value, as Route53 wants TXT values.
func txtRecord(name, value string) r53types.ResourceRecordSet {
	return r53types.ResourceRecordSet{Name: aws.String(name), Type: r53types.RRTypeTxt, TTL: aws.Int64(600),
		ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(`"` + strings.ReplaceAll(value, `"`, `\"`) + `"`)}}}
}
