/* sgshim.cpp -- see sgshim.h. The only C++ file in sriov-sim. */
#include "sim/sgshim.h"

#include <atomic>
#include <cstring>
#include <list>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>
#include <xbt/config.hpp>


/* SimGrid 3.32's Comm::set_rate() is ignored for host-to-host (sendto)
 * transfers: Comm::start() never forwards it to the kernel CommImpl, whose
 * rate_ becomes the transfer's bound in the CM02 solver. CommImpl::set_rate
 * is an exported symbol of libsimgrid but its header is not installed, so we
 * declare just that member here. Checked against the 3.32 sources
 * (src/kernel/activity/CommImpl.{hpp,cpp}, src/s4u/s4u_Comm.cpp): CommImpl
 * derives from ActivityImpl by single non-virtual inheritance, so the
 * ActivityImpl* that Activity::get_impl() returns is the CommImpl*. */
namespace simgrid::kernel::activity {
class CommImpl {
public:
  CommImpl& set_rate(double rate);
};
} // namespace simgrid::kernel::activity

namespace sg4 = simgrid::s4u;

/* CM02 also bounds a transfer at the narrowest link of its route AS IT IS
 * AT START (NetworkCm02Model::comm_action_set_bounds), so raising a link's
 * capacity later would not speed up transfers already on it. We replace
 * that bound with the flow's own cap (or none): links still limit it
 * through their max-min constraints, at their current capacity.
 *
 * Reaching the kernel action needs the data layout of ActivityImpl (3.32,
 * src/kernel/activity/ActivityImpl.hpp): a vtable pointer, then
 *   atomic_int_fast32_t refcount_; std::string name_; ActorImpl* actor_;
 *   State state_ (an int enum); double start_time_, finish_time_;
 *   std::vector<Host*> hosts_; std::list<Simcall*> simcalls_;
 *   s4u::Activity* piface_; resource::Action* surf_action_;
 * The offsets are computed from those member types with the usual
 * alignment rules and read as raw bytes (no typed access to an object that
 * is not one). kernel_action() checks piface_ points back at the s4u::Comm;
 * if it does not, the layout is not what we think and the engine falls
 * back to restarting transfers on capacity raises (shim_xfer_bound_follows_links). */
constexpr size_t align_up(size_t off, size_t align)
{
  return (off + align - 1) / align * align;
}

template <typename T> constexpr size_t after(size_t off)
{
  return align_up(off, alignof(T)) + sizeof(T);
}

constexpr size_t off_refcount_end = after<std::atomic_int_fast32_t>(sizeof(void*));
constexpr size_t off_name_end     = after<std::string>(off_refcount_end);
constexpr size_t off_actor_end    = after<void*>(off_name_end);
constexpr size_t off_state_end    = after<int>(off_actor_end);
constexpr size_t off_times_end    = after<double>(after<double>(off_state_end));
constexpr size_t off_hosts_end    = after<std::vector<void*>>(off_times_end);
constexpr size_t off_simcalls_end = after<std::list<void*>>(off_hosts_end);
constexpr size_t off_piface       = align_up(off_simcalls_end, alignof(void*));
constexpr size_t off_surf_action  = off_piface + sizeof(void*);

static simgrid::kernel::resource::Action* kernel_action(const sg4::CommPtr& comm)
{
  const auto* impl = reinterpret_cast<const unsigned char*>(comm->get_impl());
  if (impl == nullptr)
    return nullptr;
  void* piface;
  void* action;
  std::memcpy(&piface, impl + off_piface, sizeof piface);
  if (piface != static_cast<void*>(static_cast<sg4::Activity*>(comm.get())))
    return nullptr;
  std::memcpy(&action, impl + off_surf_action, sizeof action);
  return static_cast<simgrid::kernel::resource::Action*>(action);
}

/* Stops a running transfer without cancelling it. A cancel ends in
 * CommImpl::finish(), which takes the transfer off maestro's list of
 * detached activities (every sendto transfer is detached) with
 * std::list::remove -- a walk over every transfer alive, so stopping N
 * flows would cost O(N^2): 48 % of a 32k-flow run. Suspending takes the
 * transfer out of the max-min system all the same (its variable is
 * disabled) and leaves the list alone; marking the kernel activity
 * CANCELED (State value 4 in 3.32, at the offset checked above) keeps
 * s4u::Comm's destructor from reporting a comm "freed before its
 * completion". The retired activity stays on maestro's list, reachable,
 * until the engine goes. Only used when kernel_action() verified the
 * layout. */
constexpr size_t off_state = align_up(off_actor_end, alignof(int));
constexpr int kernel_state_canceled = 4;

/* SimGrid's ns-3 actions cannot be suspended (3.32 throws "unimplemented").
 * At packet granularity ledger.c leaves a running transfer to finish rather
 * than free it (release_xfer); any other free there cancels. */
static bool can_retire()
{
  static const bool ns3 = simgrid::config::get_value<std::string>("network/model") == "ns-3";
  return not ns3;
}

static void mark_canceled(const sg4::CommPtr& comm)
{
  auto* impl = reinterpret_cast<unsigned char*>(comm->get_impl());
  std::memcpy(impl + off_state, &kernel_state_canceled, sizeof kernel_state_canceled);
}

static void retire(const sg4::CommPtr& comm)
{
  comm->suspend();
  mark_canceled(comm);
}

struct shim_xfer {
  sg4::CommPtr comm;
  bool bound_fixed = true; /* false: the start-time route bound still applies */
};

extern "C" int shim_init(int* argc, char** argv, char* err, size_t errlen)
{
  try {
    simgrid_init(argc, argv);
    return 0;
  } catch (const std::exception& e) {
    /* The first line: "Bad config key: foo" is followed by every key. */
    std::string what = e.what();
    snprintf(err, errlen, "%s", what.substr(0, what.find('\n')).c_str());
    return -1;
  }
}

extern "C" void shim_print_cfg_help(void)
{
  simgrid::config::help();
}

extern "C" shim_xfer* shim_xfer_start(sg_host_t src, sg_host_t dst, double size_bytes, double rate_Bps)
{
  auto* x = new shim_xfer;
  x->comm = sg4::Comm::sendto_init();
  x->comm->set_payload_size(static_cast<uint64_t>(size_bytes));
  if (rate_Bps > 0)
    reinterpret_cast<simgrid::kernel::activity::CommImpl*>(x->comm->get_impl())->set_rate(rate_Bps);
  /* Setting both ends starts the transfer (Comm::vetoable_start). */
  x->comm->set_source(src);
  x->comm->set_destination(dst);
  if (auto* action = kernel_action(x->comm))
    action->set_bound(rate_Bps > 0 ? rate_Bps : -1.0);
  else
    x->bound_fixed = false;
  return x;
}

extern "C" int shim_xfer_bound_follows_links(const shim_xfer* x)
{
  return x->bound_fixed;
}

extern "C" double shim_xfer_remaining(const shim_xfer* x)
{
  if (x->comm->get_state() == sg4::Activity::State::FINISHED)
    return 0.0;
  return x->comm->get_remaining();
}

extern "C" int shim_xfer_finished(const shim_xfer* x)
{
  return x->comm->get_state() == sg4::Activity::State::FINISHED;
}

extern "C" void shim_xfer_free(shim_xfer* x)
{
  if (x == nullptr)
    return;
  auto state = x->comm->get_state();
  if (state == sg4::Activity::State::STARTED && x->bound_fixed && can_retire())
    retire(x->comm);
  else if (state == sg4::Activity::State::STARTED || state == sg4::Activity::State::STARTING)
    x->comm->cancel();
  delete x;
}

extern "C" void shim_xfer_drop(shim_xfer* x)
{
  if (x == nullptr)
    return;
  /* Marked CANCELED as retire() does, so s4u::Comm's destructor does not
   * report (with a backtrace) a comm "freed before its completion". */
  if (x->comm->get_state() == sg4::Activity::State::STARTED && kernel_action(x->comm) != nullptr)
    mark_canceled(x->comm);
  delete x;
}

extern "C" ssize_t shim_xfer_wait_any_for(shim_xfer* const* xs, size_t n, double timeout_s)
{
  std::vector<sg4::CommPtr> comms;
  comms.reserve(n);
  for (size_t i = 0; i < n; i++)
    comms.push_back(xs[i]->comm);
  if (comms.empty()) {
    sg4::this_actor::sleep_for(timeout_s);
    return -1;
  }
  return sg4::Comm::wait_any_for(comms, timeout_s);
}

extern "C" void shim_seal_platform(void)
{
    simgrid::s4u::Engine::get_instance()->seal_platform();
}

/* The flow-level zone (sgshim.h, shim_build_platform). A NetZoneImpl
 * subclass: its constructor is protected for that purpose, and
 * get_local_route is the one method a zone must provide (3.32,
 * include/simgrid/kernel/routing/NetZoneImpl.hpp). Netpoints are numbered
 * by the zone in creation order (NetPoint::id); node_of_vertex_ maps them
 * back to our node numbers. */
namespace {
class TopoZone : public simgrid::kernel::routing::NetZoneImpl {
public:
  explicit TopoZone(const std::string& name) : NetZoneImpl(name) {}
  shim_route_fn route_fn_ = nullptr;
  void* ctx_             = nullptr;
  std::vector<int> node_of_vertex_;
  std::vector<simgrid::kernel::resource::StandardLinkImpl*> link_impl_; /* [2 l + up] */
  std::vector<double> link_latency_;

  void get_local_route(const simgrid::kernel::routing::NetPoint* src,
                       const simgrid::kernel::routing::NetPoint* dst,
                       simgrid::kernel::routing::Route* into, double* latency) override
  {
    constexpr int max = 32;
    int links[max];
    int ups[max];
    if (src->id() >= node_of_vertex_.size() || dst->id() >= node_of_vertex_.size())
      return;
    int n = route_fn_(ctx_, node_of_vertex_[src->id()], node_of_vertex_[dst->id()], links, ups, max);
    for (int i = 0; i < n; i++) {
      size_t k = 2 * static_cast<size_t>(links[i]) + (ups[i] ? 1 : 0);
      if (link_impl_[k] == nullptr) /* a shared link: one object for both ways */
        k &= ~static_cast<size_t>(1);
      into->link_list_.push_back(link_impl_[k]);
      if (latency)
        *latency += link_latency_[k];
    }
  }
};
} // namespace

extern "C" int shim_build_platform(const shim_plat_item* items, size_t n_items, size_t n_nodes,
                                   size_t n_links, shim_route_fn route_fn, void* ctx,
                                   sg_host_t* node_hosts, sg_link_t* links_out, char* err, size_t errlen)
{
  try {
    auto* zone       = new TopoZone("dc"); /* the first zone becomes the root */
    zone->route_fn_  = route_fn;
    zone->ctx_       = ctx;
    zone->link_impl_.assign(2 * n_links, nullptr);
    zone->link_latency_.assign(2 * n_links, 0.0);
    for (size_t i = 0; i < n_nodes; i++)
      node_hosts[i] = nullptr;
    for (size_t i = 0; i < 2 * n_links; i++)
      links_out[i] = nullptr;
    for (size_t i = 0; i < n_items; i++) {
      const shim_plat_item& it = items[i];
      if (it.is_host) {
        sg4::Host* h = zone->create_host(it.name, std::vector<double>{it.value});
        h->set_core_count(it.cores)->seal(); /* as SimGrid's XML parser does */
        size_t v = h->get_netpoint()->id();
        if (v >= zone->node_of_vertex_.size())
          zone->node_of_vertex_.resize(v + 1, -1);
        zone->node_of_vertex_[v] = it.id;
        node_hosts[it.id]        = h;
        continue;
      }
      size_t l = static_cast<size_t>(it.id);
      std::vector<sg4::Link*> made;
      if (it.split_duplex) {
        sg4::SplitDuplexLink* sd = zone->create_split_duplex_link(it.name, std::vector<double>{it.value});
        made = {sd->get_link_down(), sd->get_link_up()};
        for (auto* m : made)
          m->set_latency(it.latency_s);
        sd->seal();
      } else {
        made = {zone->create_link(it.name, std::vector<double>{it.value})};
        made[0]->set_latency(it.latency_s)->seal();
      }
      for (size_t d = 0; d < made.size(); d++) {
        links_out[2 * l + d]          = made[d];
        zone->link_impl_[2 * l + d]    = made[d]->get_impl();
        zone->link_latency_[2 * l + d] = it.latency_s;
      }
    }
    sg4::Engine::on_platform_created();
    return 0;
  } catch (const std::exception& e) {
    snprintf(err, errlen, "%s", e.what());
    return -1;
  }
}
