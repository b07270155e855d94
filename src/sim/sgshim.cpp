/* sgshim.cpp -- see sgshim.h. The only C++ file in sriov-sim. */
#include "sim/sgshim.h"

#include <atomic>
#include <list>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

/* The underlying type of XBT_DECLARE_ENUM_CLASS(State, ...) in 3.32. */
enum class simgrid_state_mirror : int {};

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
 * through their max-min constraints, at their current capacity. Reaching
 * the kernel action needs ActivityImpl's data layout (3.32,
 * src/kernel/activity/ActivityImpl.hpp), mirrored here member for member;
 * layout_verified() checks it on the first transfer (piface_ must point
 * back at the s4u::Comm) and, if it does not match, the shim reports it so
 * the engine falls back to restarting transfers on capacity raises. */
struct activity_impl_layout {
  virtual ~activity_impl_layout() = default;
  std::atomic_int_fast32_t refcount_{0};
  std::string name_;
  void* actor_;
  simgrid_state_mirror state_;
  double start_time_;
  double finish_time_;
  std::vector<sg4::Host*> hosts_;
  std::list<void*> simcalls_;
  sg4::Activity* piface_;
  simgrid::kernel::resource::Action* surf_action_;
};

static simgrid::kernel::resource::Action* kernel_action(const sg4::CommPtr& comm)
{
  auto* impl = reinterpret_cast<activity_impl_layout*>(comm->get_impl());
  if (impl == nullptr || impl->piface_ != comm.get())
    return nullptr;
  return impl->surf_action_;
}

struct shim_xfer {
  sg4::CommPtr comm;
  bool bound_fixed = true; /* false: the start-time route bound still applies */
};

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
  if (state == sg4::Activity::State::STARTED || state == sg4::Activity::State::STARTING)
    x->comm->cancel();
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

extern "C" double shim_link_load_Bps(const_sg_link_t link)
{
  return link->get_usage();
}
