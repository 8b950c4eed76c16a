// The small knowledge base under src/assist/testdata/kb, loaded once for the module's tests.
#ifndef TRACEPORT_ASSIST_TESTING_TEST_KB_H_
#define TRACEPORT_ASSIST_TESTING_TEST_KB_H_

#include "assist/knowledge_base.h"

namespace traceport::assist {

// Aborts the test binary (with the loader's error) when the test knowledge base does not load:
// every test that uses it would fail for the same reason.
const KnowledgeBase& TestKnowledgeBase();

}  // namespace traceport::assist

#endif  // TRACEPORT_ASSIST_TESTING_TEST_KB_H_
