package adopt

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

// mailAccount answers the SES (query API) and Route53 (REST) reads of
// addMailIdentity from fixed data, in the XML shapes of the two APIs'
// references: one public zone "example.com." with the given record sets
// (name|type -> values), and the identity when identity is true.
type mailAccount struct {
	identity bool
	mailFrom string
	records  map[string][]string
}

func (a mailAccount) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xml")
	switch {
	case r.URL.Path == "/2013-04-01/hostedzonesbyname":
		_, _ = fmt.Fprint(w, `<ListHostedZonesByNameResponse><HostedZones><HostedZone><Id>/hostedzone/Z0ZONE</Id><Name>example.com.</Name><CallerReference>c</CallerReference><Config><PrivateZone>false</PrivateZone></Config></HostedZone></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>`)
	case strings.HasSuffix(r.URL.Path, "/rrset"):
		name, typ := r.URL.Query().Get("name"), r.URL.Query().Get("type")
		var sets strings.Builder
		if values, ok := a.records[normalName(name)+"|"+typ]; ok {
			fmt.Fprintf(&sets, "<ResourceRecordSet><Name>%s.</Name><Type>%s</Type><TTL>600</TTL><ResourceRecords>", normalName(name), typ)
			for _, v := range values {
				fmt.Fprintf(&sets, "<ResourceRecord><Value>%s</Value></ResourceRecord>", v)
			}
			sets.WriteString("</ResourceRecords></ResourceRecordSet>")
		}
		_, _ = fmt.Fprintf(w, `<ListResourceRecordSetsResponse><ResourceRecordSets>%s</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>`, sets.String())
	default:
		_ = r.ParseForm()
		action := r.Form.Get("Action")
		entry := ""
		if a.identity {
			entry = map[string]string{
				"GetIdentityVerificationAttributes":   `<entry><key>example.com</key><value><VerificationStatus>Success</VerificationStatus><VerificationToken>tok</VerificationToken></value></entry>`,
				"GetIdentityDkimAttributes":           `<entry><key>example.com</key><value><DkimEnabled>true</DkimEnabled><DkimVerificationStatus>Success</DkimVerificationStatus><DkimTokens><member>d0</member><member>d1</member><member>d2</member></DkimTokens></value></entry>`,
				"GetIdentityMailFromDomainAttributes": `<entry><key>example.com</key><value><MailFromDomain>` + a.mailFrom + `</MailFromDomain><MailFromDomainStatus>Success</MailFromDomainStatus><BehaviorOnMXFailure>UseDefaultValue</BehaviorOnMXFailure></value></entry>`,
			}[action]
		}
		field := map[string]string{"GetIdentityVerificationAttributes": "VerificationAttributes", "GetIdentityDkimAttributes": "DkimAttributes",
			"GetIdentityMailFromDomainAttributes": "MailFromDomainAttributes"}[action]
		_, _ = fmt.Fprintf(w, `<%sResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><%sResult><%s>%s</%s></%sResult></%sResponse>`, action, action, field, entry, field, action, action)
	}
}

func discoverMail(t *testing.T, a mailAccount) Estate {
	t.Helper()
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "ap-northeast-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String(srv.URL)}
	c := Clients{SES: ses.NewFromConfig(cfg), Route53: route53.NewFromConfig(cfg)}
	var e Estate
	root := Root{Addons: true, SESDomain: "example.com", PublicZoneName: "example.com", MailFromSubdomain: "mail"}
	if err := e.addMailIdentity(context.Background(), c, root); err != nil {
		t.Fatal(err)
	}
	return e
}

// With the identity: what SES reports, and only the records the zone holds.
func TestAddMailIdentityAdoptsWhatExists(t *testing.T) {
	e := discoverMail(t, mailAccount{identity: true, mailFrom: "mail.example.com", records: map[string][]string{
		"_amazonses.example.com|TXT":      {`"tok"`},
		"d1._domainkey.example.com|CNAME": {"d1.dkim.amazonses.com"},
		"mail.example.com|MX":             {"10 feedback-smtp.ap-northeast-1.amazonses.com"},
	}})
	if e.Mail == nil || e.Mail.ZoneID != "Z0ZONE" || !e.Mail.DKIM || e.Mail.MailFromDomain != "mail.example.com" || e.Mail.Status != "Success" {
		t.Fatalf("mail identity %+v", e.Mail)
	}
	var keys []string
	for _, r := range e.Mail.Records {
		keys = append(keys, r.Key)
	}
	if want := []string{"verification", "dkim-1", "mail-from-mx"}; !slices.Equal(keys, want) {
		t.Errorf("records %v, want %v (those in the zone)", keys, want)
	}
	if len(e.Skipped) != 0 {
		t.Errorf("skipped %+v, want nothing", e.Skipped)
	}
}

// Without an identity in the region, the domain's records in the zone are
// listed: the root's would overwrite them.
func TestAddMailIdentityListsRecordsWithoutAnIdentity(t *testing.T) {
	e := discoverMail(t, mailAccount{records: map[string][]string{"_amazonses.example.com|TXT": {`"other-region"`}}})
	if e.Mail != nil {
		t.Errorf("adopted %+v without an identity", e.Mail)
	}
	if len(e.Skipped) != 1 || e.Skipped[0].Name != "_amazonses.example.com TXT" || !strings.Contains(e.Skipped[0].Reason, "overwrites") {
		t.Errorf("skipped %+v, want the verification record named as overwritten", e.Skipped)
	}
}

// Another MAIL FROM domain and a verification TXT with two values (another
// region's token) are listed as what the first apply changes.
func TestAddMailIdentityListsWhatTheApplyChanges(t *testing.T) {
	e := discoverMail(t, mailAccount{identity: true, mailFrom: "bounce.example.com", records: map[string][]string{
		"_amazonses.example.com|TXT": {`"tok"`, `"other-region"`},
	}})
	var kinds []string
	for _, s := range e.Skipped {
		kinds = append(kinds, s.Kind+": "+s.Name)
	}
	if want := []string{"SES MAIL FROM: bounce.example.com", "DNS record values: _amazonses.example.com TXT"}; !slices.Equal(kinds, want) {
		t.Errorf("listed %v, want %v", kinds, want)
	}
}
