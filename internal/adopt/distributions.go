package adopt

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

const distributionKind = "CloudFront distribution"

// Distribution is a CloudFront distribution in front of an adopted bucket,
// adopted as the distribution of the root's module serving that bucket: its
// ID, domain name and ARN stay, so the bucket policy the first apply writes
// names the distribution that serves viewers, before and after.
type Distribution struct {
	Storage, ID, DomainName, Address string
	// RemovedAliases are its alternate domain names the root does not set,
	// which the first apply takes off it.
	RemovedAliases []string
	// ReadsThroughOAI: its origin signs with an origin access identity,
	// which the root's bucket policy does not admit.
	ReadsThroughOAI bool
	// KeyGroups are the key groups its default behaviour trusts (signed
	// URLs required); SignedURLs whether the root's requires them.
	KeyGroups  []string
	SignedURLs bool
}

// addDistributions reads all of the account's distributions (the API is
// global, and Copilot's tags on them are listed only in us-east-1) and
// adopts the one whose only origin is an adopted bucket.
func (e *Estate) addDistributions(ctx context.Context, client *cloudfront.Client, root Root) error {
	var summaries []cftypes.DistributionSummary
	seen := map[string]bool{} // a listing that moves under the pages may repeat one
	p := cloudfront.NewListDistributionsPaginator(client, &cloudfront.ListDistributionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing CloudFront distributions: %w", err)
		}
		if page.DistributionList == nil {
			continue
		}
		for _, s := range page.DistributionList.Items {
			if !seen[aws.ToString(s.Id)] {
				seen[aws.ToString(s.Id)] = true
				summaries = append(summaries, s)
			}
		}
	}
	for i, s := range summaries {
		// AWS lists every distribution's origins, aliases and default
		// behaviour (ListDistributions, DistributionSummary); an endpoint that
		// leaves them out (moto 5.2) is asked for each distribution.
		if s.Origins != nil {
			continue
		}
		out, err := client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: s.Id})
		if err != nil {
			return fmt.Errorf("reading CloudFront distribution %s: %w", aws.ToString(s.Id), err)
		}
		if c := out.Distribution.DistributionConfig; c != nil {
			summaries[i].Origins, summaries[i].Aliases, summaries[i].DefaultCacheBehavior = c.Origins, c.Aliases, c.DefaultCacheBehavior
			summaries[i].CacheBehaviors, summaries[i].CustomErrorResponses = c.CacheBehaviors, c.CustomErrorResponses
		}
	}
	found, skipped := matchDistributions(e.Buckets, summaries, root)
	e.Distributions, e.Skipped = append(e.Distributions, found...), append(e.Skipped, skipped...)
	return nil
}

// matchDistributions: for each bucket, the distribution to adopt, and what
// the first apply does to the others reading it; then who holds the
// alternate domain names the root's distributions need.
func matchDistributions(buckets []Bucket, summaries []cftypes.DistributionSummary, root Root) (found []Distribution, skipped []Skipped) {
	for _, b := range buckets {
		i := slices.IndexFunc(copilotBuckets, func(cb copilotBucket) bool { return cb.storage == b.Storage })
		if i < 0 {
			continue
		}
		address := copilotBuckets[i].distributionAddress
		stops := "the first apply's bucket policy admits only " + address + ", so this one stops reading " + b.Name + " (docs/migrating-from-copilot.md, step 5.1)"
		var serving []cftypes.DistributionSummary
		for _, s := range summaries {
			origins := originDomains(s)
			switch {
			case slices.ContainsFunc(origins, func(d string) bool { return isWebsiteOrigin(d, b.Name) }):
				skipped = append(skipped, Skipped{distributionKind, aws.ToString(s.Id), "reads the adopted bucket " + b.Name + " through its website endpoint " +
					"(public read): the first apply blocks public access to the bucket, so it stops serving (docs/migrating-from-copilot.md, step 5.1)"})
			case !slices.ContainsFunc(origins, func(d string) bool { return isBucketOrigin(d, b.Name) }):
				if slices.ContainsFunc(origins, func(d string) bool { return strings.HasPrefix(d, b.Name+".s3") }) {
					skipped = append(skipped, Skipped{distributionKind, aws.ToString(s.Id), "reads the adopted bucket through an endpoint form make adopt does not know: " + stops})
				}
			case len(origins) > 1:
				skipped = append(skipped, Skipped{distributionKind, aws.ToString(s.Id), fmt.Sprintf("has %d origins, one of them the adopted bucket %s "+
					"(Copilot's environment CDN with static assets, in front of the load balancer): the root's distribution has the bucket as its only origin, so it is not adopted; %s",
					len(origins), b.Name, stops)})
			case len(unkeptSettings(s)) > 0:
				skipped = append(skipped, Skipped{distributionKind, aws.ToString(s.Id), "has " + strings.Join(unkeptSettings(s), ", ") +
					", which the root's distribution does not: adopting it would remove them, so it is not adopted; " + stops})
			default:
				serving = append(serving, s)
			}
		}
		switch {
		case len(serving) > 1:
			for _, s := range serving {
				skipped = append(skipped, Skipped{distributionKind, aws.ToString(s.Id), fmt.Sprintf(
					"one of %d distributions serving the adopted bucket %s: import the one to keep into %s by hand; the first apply's bucket policy admits that one only",
					len(serving), b.Name, address)})
			}
		case len(serving) == 1:
			found = append(found, adoptedDistribution(b, copilotBuckets[i], serving[0], root))
		}
	}
	for _, cb := range copilotBuckets {
		if cb.storage == "static" && !root.StaticSiteEnabled {
			continue
		}
		adopted := slices.IndexFunc(found, func(d Distribution) bool { return d.Storage == cb.storage })
		for _, alias := range cb.aliases(root) {
			for _, s := range summaries {
				if s.Aliases != nil && slices.Contains(s.Aliases.Items, alias) && (adopted < 0 || found[adopted].ID != aws.ToString(s.Id)) {
					skipped = append(skipped, Skipped{"CloudFront alternate domain name", alias, "held by distribution " + aws.ToString(s.Id) + ", which " + cb.distributionAddress +
						" needs it on: a name belongs to one distribution, so the first apply fails (CNAMEAlreadyExists) until it is removed there"})
				}
			}
		}
	}
	return found, skipped
}

// unkeptSettings are a distribution's settings that the root's has not and
// an update to the root's configuration would remove.
func unkeptSettings(s cftypes.DistributionSummary) []string {
	var out []string
	if path := aws.ToString(s.Origins.Items[0].OriginPath); path != "" {
		out = append(out, "the origin path "+path)
	}
	if s.CacheBehaviors != nil && len(s.CacheBehaviors.Items) > 0 {
		out = append(out, fmt.Sprintf("%d cache behaviours besides the default", len(s.CacheBehaviors.Items)))
	}
	if s.CustomErrorResponses != nil && len(s.CustomErrorResponses.Items) > 0 {
		out = append(out, "custom error responses")
	}
	if b := s.DefaultCacheBehavior; b != nil {
		if b.LambdaFunctionAssociations != nil && len(b.LambdaFunctionAssociations.Items) > 0 {
			out = append(out, "Lambda@Edge functions")
		}
		if b.FunctionAssociations != nil && len(b.FunctionAssociations.Items) > 0 {
			out = append(out, "CloudFront Functions")
		}
		if b.TrustedSigners != nil && aws.ToBool(b.TrustedSigners.Enabled) {
			out = append(out, "trusted signers (CloudFront key pairs)")
		}
	}
	return out
}

func adoptedDistribution(b Bucket, cb copilotBucket, s cftypes.DistributionSummary, root Root) Distribution {
	d := Distribution{Storage: b.Storage, ID: aws.ToString(s.Id), DomainName: aws.ToString(s.DomainName), Address: cb.distributionAddress,
		SignedURLs: cb.storage == "private-static" && root.PrivateAssetsSignedURLs}
	if o := s.Origins.Items[0]; o.S3OriginConfig != nil && aws.ToString(o.S3OriginConfig.OriginAccessIdentity) != "" {
		d.ReadsThroughOAI = true
	}
	if s.Aliases != nil {
		for _, alias := range s.Aliases.Items {
			if !slices.Contains(cb.aliases(root), alias) {
				d.RemovedAliases = append(d.RemovedAliases, alias)
			}
		}
	}
	if behaviour := s.DefaultCacheBehavior; behaviour != nil && behaviour.TrustedKeyGroups != nil && aws.ToBool(behaviour.TrustedKeyGroups.Enabled) {
		d.KeyGroups = behaviour.TrustedKeyGroups.Items
	}
	return d
}

func originDomains(s cftypes.DistributionSummary) []string {
	var out []string
	if s.Origins != nil {
		for _, o := range s.Origins.Items {
			out = append(out, strings.ToLower(aws.ToString(o.DomainName)))
		}
	}
	return out
}

// restEndpointSuffix is what follows `<bucket>.s3` in the domain names of a
// bucket's REST endpoints (Amazon S3 User Guide, "Virtual-hosted-style
// requests"; "Dual-stack endpoints"; the legacy `s3-<region>` form), and
// websiteEndpointSuffix in those of its website endpoints ("Website
// endpoints": `s3-website-<region>` and `s3-website.<region>`).
var (
	restEndpointSuffix    = regexp.MustCompile(`^(?:\.(?:dualstack\.)?(?:[a-z]{2}(?:-[a-z]+)+-\d+\.)?|-[a-z]{2}(?:-[a-z]+)+-\d+\.)amazonaws\.com$`)
	websiteEndpointSuffix = regexp.MustCompile(`^-website[.-][a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com$`)
)

// isBucketOrigin tells whether an origin's domain name is one of bucket's
// REST endpoints, which CloudFront reads with origin access control.
func isBucketOrigin(domain, bucket string) bool {
	return isEndpoint(domain, bucket, restEndpointSuffix)
}

// isWebsiteOrigin tells whether it is bucket's website endpoint, which
// CloudFront reaches as a custom origin, without origin access control.
func isWebsiteOrigin(domain, bucket string) bool {
	return isEndpoint(domain, bucket, websiteEndpointSuffix)
}

// isEndpoint tells whether domain is `<bucket>.s3` followed by suffix.
func isEndpoint(domain, bucket string, suffix *regexp.Regexp) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(domain), bucket+".s3")
	return ok && suffix.MatchString(rest)
}

// adoption is the distribution's row: the first plan updates it in place.
func (d Distribution) adoption() Adoption {
	plan := []string{"import; update in place (its only origin read through the root's origin access control, cache and response headers policies, WAF, logging, " +
		"certificate, tags); its ID and domain name stay, so the bucket policy admits the distribution that serves viewers"}
	if d.ReadsThroughOAI {
		plan = append(plan, "it reads the bucket through an origin access identity, which neither the new bucket policy nor, once CloudFront has it, the updated origin uses: "+
			"misses fail from the update until the apply writes the bucket policy, after CloudFront reports the distribution deployed (minutes; docs/migrating-from-copilot.md, step 3.1)")
	}
	switch {
	case d.SignedURLs && len(d.KeyGroups) == 0:
		plan = append(plan, "viewers then need URLs signed with the root's key (private_assets_signed_urls): unsigned URLs get 403")
	case d.SignedURLs:
		plan = append(plan, "its key groups "+strings.Join(d.KeyGroups, ", ")+" give way to the root's: URLs signed with their keys get 403")
	case len(d.KeyGroups) > 0 && d.Storage == "static":
		plan = append(plan, "signed URLs are no longer required (the static site's content is public): its content is served to anyone")
	case len(d.KeyGroups) > 0:
		plan = append(plan, "signed URLs are no longer required (private_assets_signed_urls = false): its content is served to anyone")
	}
	if len(d.RemovedAliases) > 0 {
		plan = append(plan, "the alternate domain names "+strings.Join(d.RemovedAliases, ", ")+" are removed (the root sets none of them): they stop serving")
	}
	return Adoption{Kind: distributionKind, Name: d.ID + " (" + d.DomainName + ")", Address: d.Address, ImportID: d.ID, FirstPlan: strings.Join(plan, "; ")}
}
