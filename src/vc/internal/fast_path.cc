#include "vc/internal/fast_path.h"

namespace traceport::vc::internal {
namespace {

using nlohmann::json;

// A credentialSubject object: scalars kept, nested containers replaced by null.
json ShallowObject(simdjson::dom::element object) {
  json out = json::object();
  auto& members = out.get_ref<json::object_t&>();
  const simdjson::dom::object fields = object.get_object().value_unsafe();
  for (auto field : fields) {
    const bool nested = field.value.is_object() || field.value.is_array();
    members.emplace(std::string(field.key), nested ? json(nullptr) : codec::ToJson(field.value));
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
