#include "vc/report.h"

#include <gtest/gtest.h>

namespace traceport::vc {
namespace {

TEST(ReportTest, VerifiedOnlyWhenEveryRequiredCheckPasses) {
  VerificationReport r;
  EXPECT_FALSE(r.verified());  // nothing checked is not verified
  r.Pass(kCheckStructure, "ok");
  r.NotApplicable(kCheckStatus, "no credentialStatus");
  EXPECT_TRUE(r.verified());
  r.Fail(kCheckProof, "signature does not verify", "/proof");
  EXPECT_FALSE(r.verified());
  r.Pass(kCheckProof, "ok now");
  EXPECT_TRUE(r.verified());
  EXPECT_EQ(r.checks().size(), 3u);
  EXPECT_EQ(r.checks()[2].name, "proof");  // replaced in place
  r.Set(kCheckSchema, CheckStatus::kSkipped, "no schema");
  EXPECT_FALSE(r.verified());  // a required check that was skipped
}

TEST(ReportTest, JsonForm) {
  VerificationReport r;
  r.Fail(kCheckValidityPeriod, "expired at 2020-01-01T00:00:00Z", "/validUntil");
  r.NotApplicable(kCheckLedgerAnchor, "not anchored");
  r.AddProblem({"/validUntil", "in the past"});
  nlohmann::json j = r.ToJson();
  EXPECT_EQ(j["verified"], false);
  EXPECT_EQ(j["checks"][0]["name"], "validity-period");
  EXPECT_EQ(j["checks"][0]["status"], "fail");
  EXPECT_EQ(j["checks"][0]["pointer"], "/validUntil");
  EXPECT_EQ(j["checks"][1]["required"], false);
  EXPECT_EQ(j["problems"][0]["message"], "in the past");
}

TEST(ReportTest, PointerEscaping) { EXPECT_EQ(PointerToken("a/b~c"), "a~1b~0c"); }

}  // namespace
}  // namespace traceport::vc
