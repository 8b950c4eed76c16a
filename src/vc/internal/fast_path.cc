#include "vc/internal/fast_path.h"

namespace traceport::vc::internal {
namespace {

using nlohmann::json;

// A credentialSubject object as the checks see it: whether it is empty, and its "id". The id is
// kept as written; every other member is represented by one placeholder (named "", null), so
// the object is empty exactly when the original is.
json ShallowObject(simdjson::dom::element object) {
  json out = json::object();
  auto& members = out.get_ref<json::object_t&>();
  const simdjson::dom::object fields = object.get_object().value_unsafe();
  for (auto field : fields) {
    if (field.key == "id") {
      members.emplace("id", codec::ToJson(field.value));
    } else if (members.find("") == members.end()) {
      members.emplace("", nullptr);
    }
  }
  return out;
}

json ShallowSubjects(simdjson::dom::element subjects) {
  if (subjects.is_object()) return ShallowObject(subjects);
  if (!subjects.is_array()) return codec::ToJson(subjects);
  json out = json::array();
  const simdjson::dom::array items = subjects.get_array().value_unsafe();
  for (simdjson::dom::element item : items) {
    out.push_back(item.is_object() ? ShallowObject(item) : codec::ToJson(item));
  }
  return out;
}

}  // namespace

json CredentialSkeleton(simdjson::dom::element credential) {
  if (!credential.is_object()) return codec::ToJson(credential);
  json out = json::object();
  auto& members = out.get_ref<json::object_t&>();
  const simdjson::dom::object fields = credential.get_object().value_unsafe();
  for (auto field : fields) {
    members.emplace(std::string(field.key), field.key == "credentialSubject"
                                                ? ShallowSubjects(field.value)
                                                : codec::ToJson(field.value));
  }
  return out;
}

}  // namespace traceport::vc::internal
