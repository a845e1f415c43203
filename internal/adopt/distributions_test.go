package adopt

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// The S3 REST endpoints an origin may name a bucket by, and the website
// endpoint, which is a custom origin (CloudFront Developer Guide, "Use
// various origins with CloudFront distributions": Amazon S3 bucket, and
// "Amazon S3 bucket that's configured as a website endpoint").
func TestIsBucketOrigin(t *testing.T) {
	const bucket = "calinks-staging-addonsstack-a1-privatestaticbucket-c3"
	for domain, want := range map[string]bool{
		bucket + ".s3.amazonaws.com":                                   true,
		bucket + ".s3.ap-northeast-1.amazonaws.com":                    true,
		bucket + ".s3-ap-northeast-1.amazonaws.com":                    true,
		bucket + ".s3.cn-north-1.amazonaws.com.cn":                     true,
		bucket + ".s3-website-ap-northeast-1.amazonaws.com":            false,
		bucket + ".s3-website.ap-northeast-1.amazonaws.com":            false,
		"x" + bucket + ".s3.amazonaws.com":                             false,
		bucket + "-2.s3.amazonaws.com":                                 false,
		bucket + ".s3.amazonaws.com.example.com":                       false,
		"calinks-Publi-1.ap-northeast-1.elb.amazonaws.com":             false,
		strings.ToUpper(bucket[:1]) + bucket[1:] + ".s3.amazonaws.com": true,
	} {
		if got := isBucketOrigin(domain, bucket); got != want {
			t.Errorf("isBucketOrigin(%q) = %v, want %v", domain, got, want)
		}
	}
}

func summary(id string, aliases []string, oai string, originDomains ...string) cftypes.DistributionSummary {
	s := cftypes.DistributionSummary{Id: aws.String(id), DomainName: aws.String(strings.ToLower(id) + ".cloudfront.net"),
		Aliases: &cftypes.Aliases{Items: aliases}, Origins: &cftypes.Origins{}}
	for _, d := range originDomains {
		s.Origins.Items = append(s.Origins.Items, cftypes.Origin{DomainName: aws.String(d), S3OriginConfig: &cftypes.S3OriginConfig{OriginAccessIdentity: aws.String(oai)}})
	}
	return s
}

// TestMatchDistributions: the distribution serving an adopted bucket is
// imported to the root's distribution of that bucket; an alternate domain
// name the root does not set is named, as is an origin access identity; a
// bucket served by two distributions adopts neither.
func TestMatchDistributions(t *testing.T) {
	private := Bucket{Storage: "private-static", Name: "calinks-staging-addonsstack-a1-privatestaticbucket-c3"}
	static := Bucket{Storage: "static", Name: "calinks-production-addonsstack-b2-staticbucket-d4"}
	root := Root{PublicZoneName: "mycalinks.io"}
	summaries := []cftypes.DistributionSummary{
		summary("ELB", []string{"pos.mycalinks.io"}, "", "calinks-Publi-1.ap-northeast-1.elb.amazonaws.com"),
		summary("PRIVATE", []string{"private-static.mycalinks.io"}, "origin-access-identity/cloudfront/E1", private.Name+".s3.ap-northeast-1.amazonaws.com"),
		summary("STATIC", []string{"static.mycalinks.io"}, "", "logs.s3.amazonaws.com", static.Name+".s3.amazonaws.com"),
	}
	found, skipped := matchDistributions([]Bucket{private, static}, summaries, root, nil, nil)
	want := []Distribution{
		{Storage: "private-static", ID: "PRIVATE", DomainName: "private.cloudfront.net", Address: "module.private_assets[0].aws_cloudfront_distribution.this",
			Aliases: []string{"private-static.mycalinks.io"}, RemovedAliases: []string{"private-static.mycalinks.io"}, ReadsThroughOAI: true},
		{Storage: "static", ID: "STATIC", DomainName: "static.cloudfront.net", Address: "module.static_site[0].module.site.aws_cloudfront_distribution.this",
			Aliases: []string{"static.mycalinks.io"}},
	}
	if !slices.EqualFunc(found, want, func(a, b Distribution) bool {
		return a.Storage == b.Storage && a.ID == b.ID && a.DomainName == b.DomainName && a.Address == b.Address && a.ReadsThroughOAI == b.ReadsThroughOAI &&
			slices.Equal(a.Aliases, b.Aliases) && slices.Equal(a.RemovedAliases, b.RemovedAliases)
	}) || len(skipped) != 0 {
		t.Fatalf("found %+v, skipped %+v; want %+v and nothing skipped", found, skipped, want)
	}
	row := found[0].adoption()
	for _, part := range []string{"origin access identity", "private-static.mycalinks.io are removed"} {
		if !strings.Contains(row.FirstPlan, part) {
			t.Errorf("first plan of %s: %q does not say %q", row.Name, row.FirstPlan, part)
		}
	}
	if row.ImportID != "PRIVATE" || strings.Contains(found[1].adoption().FirstPlan, "removed") {
		t.Errorf("rows %+v, %+v: want import ID PRIVATE, and no alias removed from the static site's", row, found[1].adoption())
	}

	second := summary("PRIVATE2", nil, "", private.Name+".s3.amazonaws.com")
	found, skipped = matchDistributions([]Bucket{private}, append(summaries, second), root, nil, nil)
	if len(found) != 0 || len(skipped) != 2 || skipped[0].Name != "PRIVATE" || skipped[1].Name != "PRIVATE2" || !strings.Contains(skipped[0].Reason, "by hand") {
		t.Errorf("two distributions on one bucket: found %+v, skipped %+v; want none adopted and both listed", found, skipped)
	}
}

// TestCopilotDistributionsOfNoBucket: a distribution of Copilot's stacks
// that serves no adopted bucket is listed as not adopted; the adopted one
// is checked for its retain policies instead.
func TestCopilotDistributionsOfNoBucket(t *testing.T) {
	e := Estate{Distributions: []Distribution{{ID: "PRIVATE"}}}
	resources := []stackResource{
		{Stack: "calinks-staging", LogicalID: "CloudFrontDistribution", Type: "AWS::CloudFront::Distribution", PhysicalID: "ELB"},
		{Stack: "calinks-staging-AddonsStack-1", LogicalID: "PrivateStaticDistribution", Type: "AWS::CloudFront::Distribution", PhysicalID: "PRIVATE",
			DeletionPolicy: "Retain"},
	}
	e.listStackDistributions(resources)
	if len(e.Skipped) != 1 || e.Skipped[0].Name != "ELB" || !strings.Contains(e.Skipped[0].Reason, "calinks-staging") {
		t.Errorf("skipped %+v, want Copilot's distribution ELB only, naming its stack", e.Skipped)
	}
	if got := notRetained(resources, e.keeps()); len(got) != 1 || got[0].PhysicalID != "PRIVATE" || !slices.Equal(got[0].Missing, []string{"UpdateReplacePolicy: Retain"}) {
		t.Errorf("not retained %+v, want PRIVATE missing UpdateReplacePolicy: Retain", got)
	}
}
