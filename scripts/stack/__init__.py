"""The native rehearsal of the compose deployment (`make stack`, `make stack-check`,
`make stack-stop`): the same topology as docker-compose.yml, as processes on this
machine, against its PostgreSQL and RabbitMQ. See docs/deploying.md."""
