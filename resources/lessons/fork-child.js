// The lesson's child: answers each {n} with its Fibonacci number, computed the slow way on
// purpose, so that a large n takes a while and the others answer first.
const fibonacci = (num) => num <= 1 ? 1 : fibonacci(num - 1) + fibonacci(num - 2);

process.on('message', ({ n }) => {
  process.send({ fib: fibonacci(n), n });
});
