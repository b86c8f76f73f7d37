#include <stdexcept>

int
main ()
{
  throw std::runtime_error ("runtime failure in C++");
}
