module example.com/acme/service

go 1.21

toolchain go1.21.5

require (
	github.com/gin-gonic/gin v1.9.0
	golang.org/x/net v0.7.0 // indirect
	github.com/acme/shared v0.3.0
	github.com/old/yaml v1.0.0
)

require github.com/sirupsen/logrus v1.9.0

replace github.com/acme/shared => ../shared

replace github.com/old/yaml v1.0.0 => gopkg.in/yaml.v3 v3.0.0
