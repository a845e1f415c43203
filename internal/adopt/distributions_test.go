package adopt

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// The REST endpoints an origin may name a bucket by (Amazon S3 User Guide:
// "Virtual-hosted-style requests", "Dual-stack endpoints", the legacy
// s3-<region> form) and its website endpoints ("Website endpoints"), which
// CloudFront reaches as a custom origin.
func TestBucketOrigins(t *testing.T) {
	const bucket = "calinks-staging-addonsstack-a1-privatestaticbucket-c3"
	for domain, want := range map[string][2]bool{ // REST, website
		bucket + ".s3.amazonaws.com":                                   {true, false},
		bucket + ".s3.ap-northeast-1.amazonaws.com":                    {true, false},
		bucket + ".s3-ap-northeast-1.amazonaws.com":                    {true, false},
		bucket + ".s3.dualstack.ap-northeast-1.amazonaws.com":          {true, false},
		bucket + ".s3.us-gov-west-1.amazonaws.com":                     {true, false},
		strings.ToUpper(bucket[:1]) + bucket[1:] + ".s3.amazonaws.com": {true, false},
		bucket + ".s3-website-ap-northeast-1.amazonaws.com":            {false, true},
		bucket + ".s3-website.ap-northeast-1.amazonaws.com":            {false, true},
		bucket + ".s3.foo.s3.amazonaws.com":                            {false, false}, // the bucket "<bucket>.s3.foo"
		bucket + ".s3-accelerate.amazonaws.com":                        {false, false},
		bucket + ".s3.ap-northeast-1.vpce.amazonaws.com":               {false, false},
		"x" + bucket + ".s3.amazonaws.com":                             {false, false},
		bucket + "-2.s3.amazonaws.com":                                 {false, false},
		bucket + ".s3.amazonaws.com.example.com":                       {false, false},
		"calinks-Publi-1.ap-northeast-1.elb.amazonaws.com":             {false, false},
	} {
		if got := [2]bool{isBucketOrigin(domain, bucket), isWebsiteOrigin(domain, bucket)}; got != want {
			t.Errorf("%s: REST, website endpoint = %v, want %v", domain, got, want)
		}
	}
}

func summary(id string, aliases []string, originDomains ...string) cftypes.DistributionSummary {
	s := cftypes.DistributionSummary{Id: aws.String(id), DomainName: aws.String(strings.ToLower(id) + ".cloudfront.net"),
		Aliases: &cftypes.Aliases{Items: aliases}, Origins: &cftypes.Origins{}}
	for _, d := range originDomains {
		s.Origins.Items = append(s.Origins.Items, cftypes.Origin{DomainName: aws.String(d), S3OriginConfig: &cftypes.S3OriginConfig{OriginAccessIdentity: aws.String("")}})
	}
	return s
}

func skippedNames(skipped []Skipped) []string {
	var out []string
	for _, s := range skipped {
		out = append(out, s.Kind+" "+s.Name)
	}
	return out
}

// TestMatchDistributions: the one distribution whose only origin is an
// adopted bucket is imported to the root's distribution of that bucket,
// with what its first plan changes; a distribution reading the bucket
// beside other origins, through its website endpoint, or as one of two,
// is listed with what the first apply does to it.
func TestMatchDistributions(t *testing.T) {
	private := Bucket{Storage: "private-static", Name: "calinks-production-addonsstack-a1-privatestaticbucket-c3"}
	static := Bucket{Storage: "static", Name: "calinks-production-addonsstack-b2-staticbucket-d4"}
	root := Root{PublicZoneName: "mycalinks.io", StaticSiteEnabled: true, PrivateAssetsSignedURLs: true}
	privateOrigin := summary("PRIVATE", []string{"private-static.mycalinks.io"}, private.Name+".s3.ap-northeast-1.amazonaws.com")
	privateOrigin.Origins.Items[0].S3OriginConfig.OriginAccessIdentity = aws.String("origin-access-identity/cloudfront/E1")
	summaries := []cftypes.DistributionSummary{
		// Copilot's environment CDN with static assets: the load balancer and the bucket.
		summary("ENVCDN", []string{"pos.mycalinks.io"}, "calinks-Publi-1.ap-northeast-1.elb.amazonaws.com", static.Name+".s3.ap-northeast-1.amazonaws.com"),
		privateOrigin,
		summary("STATIC", []string{"static.mycalinks.io"}, static.Name+".s3.amazonaws.com"),
		summary("WEBSITE", nil, static.Name+".s3-website-ap-northeast-1.amazonaws.com"),
	}
	found, skipped := matchDistributions([]Bucket{private, static}, summaries, root)
	got := map[string]Distribution{}
	for _, d := range found {
		got[d.ID] = d
	}
	if len(found) != 2 || got["PRIVATE"].Address != "module.private_assets[0].aws_cloudfront_distribution.this" ||
		got["STATIC"].Address != "module.static_site[0].module.site.aws_cloudfront_distribution.this" {
		t.Fatalf("adopted %+v, want PRIVATE and STATIC at the root's distributions of their buckets", found)
	}
	if d := got["PRIVATE"]; !d.ReadsThroughOAI || !slices.Equal(d.RemovedAliases, []string{"private-static.mycalinks.io"}) || !d.SignedURLs {
		t.Errorf("PRIVATE = %+v, want an OAI reader losing private-static.mycalinks.io, signed URLs required", d)
	}
	if d := got["STATIC"]; d.ReadsThroughOAI || len(d.RemovedAliases) != 0 || d.SignedURLs {
		t.Errorf("STATIC = %+v, want its alias kept, no OAI, no signed URLs (public content)", d)
	}
	row := got["PRIVATE"].adoption()
	for _, part := range []string{"origin access identity", "private-static.mycalinks.io are removed", "unsigned URLs get 403"} {
		if !strings.Contains(row.FirstPlan, part) {
			t.Errorf("first plan of %s: %q does not say %q", row.Name, row.FirstPlan, part)
		}
	}
	if row.ImportID != "PRIVATE" || strings.Contains(got["STATIC"].adoption().FirstPlan, "removed") {
		t.Errorf("rows %+v, %+v: want import ID PRIVATE, and no alias removed from the static site's", row, got["STATIC"].adoption())
	}
	if want := []string{distributionKind + " ENVCDN", distributionKind + " WEBSITE"}; !slices.Equal(skippedNames(skipped), want) {
		t.Errorf("listed %v, want %v", skippedNames(skipped), want)
	}

	// Another distribution serving private-static: neither is adopted. And
	// static.<zone> held elsewhere while the static bucket's own lacks it.
	second := summary("PRIVATE2", nil, private.Name+".s3.amazonaws.com")
	elsewhere := summary("OLDSTATIC", []string{"static.mycalinks.io"}, "old-static.example.com")
	bare := summary("STATIC", nil, static.Name+".s3.amazonaws.com")
	found, skipped = matchDistributions([]Bucket{private, static}, []cftypes.DistributionSummary{privateOrigin, second, bare, elsewhere}, root)
	want := []string{distributionKind + " PRIVATE", distributionKind + " PRIVATE2", "CloudFront alternate domain name static.mycalinks.io"}
	if len(found) != 1 || found[0].ID != "STATIC" || !slices.Equal(skippedNames(skipped), want) || !strings.Contains(skipped[2].Reason, "OLDSTATIC") {
		t.Errorf("adopted %+v, listed %v; want STATIC only, listed %v (the alias's holder OLDSTATIC named)", found, skippedNames(skipped), want)
	}
}

// TestDistributionsNotAdopted: a distribution whose only origin is the
// bucket is still not adopted when the root's configuration would remove
// its settings, or when its origin names the bucket in a form not known.
func TestDistributionsNotAdopted(t *testing.T) {
	private := Bucket{Storage: "private-static", Name: "calinks-staging-addonsstack-a1-privatestaticbucket-c3"}
	withPath := summary("PATH", nil, private.Name+".s3.amazonaws.com")
	withPath.Origins.Items[0].OriginPath = aws.String("/assets")
	withBehaviours := summary("BEHAVIOURS", nil, private.Name+".s3.amazonaws.com")
	withBehaviours.CacheBehaviors = &cftypes.CacheBehaviors{Items: []cftypes.CacheBehavior{{PathPattern: aws.String("/api/*")}}}
	withEdge := summary("EDGE", nil, private.Name+".s3.amazonaws.com")
	withEdge.DefaultCacheBehavior = &cftypes.DefaultCacheBehavior{FunctionAssociations: &cftypes.FunctionAssociations{Items: []cftypes.FunctionAssociation{{}}}}
	unknown := summary("EXTERNAL1", nil, private.Name+".s3-external-1.amazonaws.com")
	found, skipped := matchDistributions([]Bucket{private}, []cftypes.DistributionSummary{withPath, withBehaviours, withEdge, unknown}, Root{})
	want := []string{distributionKind + " PATH", distributionKind + " BEHAVIOURS", distributionKind + " EDGE", distributionKind + " EXTERNAL1"}
	if len(found) != 0 || !slices.Equal(skippedNames(skipped), want) {
		t.Fatalf("adopted %+v, listed %v; want none adopted, listed %v", found, skippedNames(skipped), want)
	}
	for i, part := range []string{"the origin path /assets", "1 cache behaviours besides the default", "CloudFront Functions", "endpoint form"} {
		if !strings.Contains(skipped[i].Reason, part) || !strings.Contains(skipped[i].Reason, "stops reading") {
			t.Errorf("%s: %q does not say %q and that it stops reading the bucket", skipped[i].Name, skipped[i].Reason, part)
		}
	}
}

// TestCopilotDistributionsOfNoBucket: a distribution of Copilot's stacks
// that is not adopted is listed once; the adopted one is checked for its
// retain policies instead.
func TestCopilotDistributionsOfNoBucket(t *testing.T) {
	e := Estate{Distributions: []Distribution{{ID: "PRIVATE"}}, Skipped: []Skipped{{distributionKind, "TWIN", "one of 2 distributions serving the adopted bucket"}}}
	resources := []stackResource{
		{Stack: "calinks-staging", LogicalID: "CloudFrontDistribution", Type: "AWS::CloudFront::Distribution", PhysicalID: "ENVCDN"},
		{Stack: "calinks-staging-AddonsStack-1", LogicalID: "PrivateStaticDistribution", Type: "AWS::CloudFront::Distribution", PhysicalID: "PRIVATE",
			DeletionPolicy: "Retain"},
		{Stack: "calinks-staging-AddonsStack-1", LogicalID: "TwinDistribution", Type: "AWS::CloudFront::Distribution", PhysicalID: "TWIN"},
	}
	e.listStackDistributions(resources, e.keeps())
	if want := []string{distributionKind + " TWIN", distributionKind + " ENVCDN"}; !slices.Equal(skippedNames(e.Skipped), want) || !strings.Contains(e.Skipped[1].Reason, "calinks-staging") {
		t.Errorf("listed %v (%+v), want %v, ENVCDN naming its stack", skippedNames(e.Skipped), e.Skipped, want)
	}
	if got := notRetained(resources, e.keeps()); len(got) != 1 || got[0].PhysicalID != "PRIVATE" || !slices.Equal(got[0].Missing, []string{"UpdateReplacePolicy: Retain"}) {
		t.Errorf("not retained %+v, want PRIVATE missing UpdateReplacePolicy: Retain", got)
	}
}
